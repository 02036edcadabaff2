"""The class sets' API: the catalogue, the schools, a title's weeks, and a booking answering
201, 409 with the free quantity, 422 with the reason — with the web form's rules."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bokbro.classsets.models import Booking, QueueEntry
from bokbro.classsets.tests.conftest import book, make_school, make_title, next_monday


def post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/class-sets/bookings", json.dumps(body), content_type="application/json"
    )


def body_for(cs: Any, **overrides: Any) -> dict[str, Any]:
    start = next_monday()
    body = {
        "title": cs.title.pk,
        "copies": 20,
        "from": start.isoformat(),
        "to": (start + timedelta(days=25)).isoformat(),
        "school": cs.school.pk,
        "class_name": "6B",
        "contact_name": "Lise",
        "contact_email": "lise@skole.example",
        "delivery_library": cs.library.pk,
    }
    body.update(overrides)
    return body


def test_titles_and_schools(cs: Any, client_for: Any) -> None:
    client = client_for(None)
    items = client.get("/api/class-sets/titles?q=nesbø").json()["items"]
    assert [(t["title"], t["copies"]) for t in items] == [("Doktor Proktors prompepulver", 30)]
    assert client.get("/api/class-sets/titles?q=lindgren").json()["items"] == []
    schools = client.get("/api/class-sets/schools").json()["items"]
    assert schools == [
        {"id": cs.school.pk, "name": "Gressvik skole", "municipality": "Fredrikstad"}
    ]


def test_availability_by_week(cs: Any, client_for: Any) -> None:
    start = next_monday()
    book(cs, cs.title, copies=12, starts_on=start, ends_on=start + timedelta(days=4))
    answer = client_for(None).get(
        f"/api/class-sets/titles/{cs.title.pk}/availability"
        f"?from={start.isoformat()}&to={(start + timedelta(days=13)).isoformat()}"
    )
    weeks = answer.json()["weeks"]
    assert [(w["monday"], w["free"]) for w in weeks] == [
        (start.isoformat(), 18),
        ((start + timedelta(days=7)).isoformat(), 30),
    ]
    bad = client_for(None).get(
        f"/api/class-sets/titles/{cs.title.pk}/availability?from=2027-01-10&to=2027-01-01"
    )
    assert bad.status_code == 422, bad.content
    far = client_for(None).get(f"/api/class-sets/titles/{cs.title.pk}/availability?from=9999-12-01")
    assert far.status_code == 422


def test_a_booking_answers_201_then_409_with_the_free_quantity(cs: Any, client_for: Any) -> None:
    client = client_for(None)
    made = post(client, body_for(cs))
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "held"
    short = post(client, body_for(cs, copies=15))
    assert short.status_code == 409
    assert short.json()["free"] == 10
    assert short.json()["alternatives"]
    assert Booking.objects.count() == 1


def test_bad_input_answers_422_with_the_field_and_saves_nothing(cs: Any, client_for: Any) -> None:
    client = client_for(None, language="en")
    start = next_monday()
    outside = make_school(cs, "Skola i Värnamo")
    outside.municipality = cs.swedish_library.municipality
    outside.save()
    cases = {
        "copies": body_for(cs, copies=0),
        "to": body_for(cs, to=(start - timedelta(days=1)).isoformat()),
        "school": body_for(cs, school=outside.pk),
        "contact_email": body_for(cs, contact_email="not-an-address"),
    }
    for field, body in cases.items():
        answer = post(client, body)
        assert answer.status_code == 422, (field, answer.content)
        assert field in fields_of(answer), answer.json()
    assert fields_of(post(client, body_for(cs, copies=31)))["copies"] == [
        "The title has 30 copies in all; you cannot book more."
    ]
    assert post(client, {"title": cs.title.pk}).status_code == 422
    assert post(client, body_for(cs, title=9_999_999)).status_code == 404
    assert Booking.objects.count() == 0


def fields_of(answer: Any) -> dict[str, list[str]]:
    """The messages of a 422 (the API's shared error shape) by field."""
    found: dict[str, list[str]] = {}
    for item in answer.json()["errors"]:
        found.setdefault(item["field"], []).append(item["message"])
    return found


def test_the_422_speaks_the_callers_language(cs: Any, client_for: Any) -> None:
    answer = post(client_for(None, language="nn"), body_for(cs, copies=40))
    assert answer.status_code == 422
    assert fields_of(answer)["copies"] == [
        "Tittelen har 30 eksemplar i alt; du kan ikkje bestille fleire."
    ]


def basket_body(cs: Any, lines: list[tuple[Any, int]], **overrides: Any) -> dict[str, Any]:
    body = body_for(cs, **overrides)
    del body["title"], body["copies"]
    return body | {"lines": [{"title": t.pk, "copies": n} for t, n in lines]}


def test_a_basket_answers_201_with_every_title_held_or_409_naming_the_short_ones(
    cs: Any, client_for: Any
) -> None:
    client = client_for(None, language="en")
    other = make_title(cs, copies=10, isbn="9788202111110", title="Brødrene Løvehjerte")
    made = client.post(
        "/api/class-sets/baskets",
        json.dumps(basket_body(cs, [(cs.title, 20), (other, 8)])),
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert [(b["title"], b["copies"], b["status"]) for b in made.json()["bookings"]] == [
        (other.pk, 8, "held"),
        (cs.title.pk, 20, "held"),
    ]
    assert made.json()["url"].startswith("/class-sets/basket/")
    short = client.post(
        "/api/class-sets/baskets",
        json.dumps(basket_body(cs, [(cs.title, 5), (other, 5)])),
        content_type="application/json",
    )
    assert short.status_code == 409
    assert short.json()["shorts"] == [{"title": other.pk, "asked": 5, "free": 2}]
    assert "queue" in short.json()["detail"] and short.json()["queue"] == "/api/class-sets/queue"
    assert Booking.objects.count() == 2  # all or nothing: the first title is not held either
    twice = client.post(
        "/api/class-sets/baskets",
        json.dumps(basket_body(cs, [(cs.title, 1), (cs.title, 1)])),
        content_type="application/json",
    )
    assert twice.status_code == 422


def test_short_copies_point_to_the_queue_and_joining_it_answers_201(
    cs: Any, client_for: Any
) -> None:
    client = client_for(None, language="en")
    assert post(client, body_for(cs, copies=25)).status_code == 201
    short = post(client, body_for(cs, copies=10))
    assert short.status_code == 409
    assert "join the queue" in short.json()["detail"]
    joined = client.post(
        short.json()["queue"], json.dumps(body_for(cs, copies=10)), content_type="application/json"
    )
    assert joined.status_code == 201, joined.content
    assert joined.json()["status"] == "waiting" and joined.json()["booking"] is None
    assert joined.json()["url"].startswith("/class-sets/queue/")
    bad = client.post(
        "/api/class-sets/queue",
        json.dumps(body_for(cs, copies=0)),
        content_type="application/json",
    )
    assert bad.status_code == 422, bad.content
    assert [e["field"] for e in bad.json()["errors"]] == ["copies"]


def test_bad_input_is_named_even_when_the_copies_are_short(cs: Any, client_for: Any) -> None:
    """A refusal for short copies is decided from one read before the full checks
    (classsets/facts.py); a request that breaks a rule still gets the 422 naming its field, not
    a 409, whatever the copies."""
    from bokbro.classsets.models import HolidayPeriod, Settings
    from bokbro.directory.models import Library, LibraryKind, Municipality, OrganisationKind

    client = client_for(None, language="en")
    start = next_monday()
    assert post(client, body_for(cs, copies=25)).status_code == 201
    Settings.objects.update_or_create(
        agency=cs.agency, defaults={"default_weeks": 4, "max_weeks": 5}
    )
    HolidayPeriod.objects.create(
        agency=cs.agency,
        name="Vinterferie",
        starts_on=start + timedelta(weeks=1),
        ends_on=start + timedelta(weeks=1, days=6),
    )
    swedish = make_school(cs, "Gröna skolan", municipality=Municipality.objects.get(code="0683"))
    not_a_school = make_school(cs, "Kulturhuset")
    not_a_school.kind = OrganisationKind.OTHER
    not_a_school.save()
    branch = Library.objects.create(
        name="Gamlebyen filial", kind=LibraryKind.BRANCH, municipality=cs.library.municipality
    )
    cases = {
        "to": [
            {"to": (start - timedelta(days=1)).isoformat()},
            {"to": (start + timedelta(weeks=6)).isoformat()},
        ],
        "from": [
            {"from": (start - timedelta(weeks=3)).isoformat()},
            {"from": (start + timedelta(weeks=1, days=2)).isoformat()},
        ],
        "school": [{"school": swedish.pk}, {"school": not_a_school.pk}],
        "delivery_library": [
            {"delivery_library": cs.swedish_library.pk},
            {"delivery_library": branch.pk},
        ],
        "contact_email": [{"contact_email": "not-an-address"}],
        "class_name": [{"class_name": "x" * 61}],
        "copies": [{"copies": 31}],
    }
    for field, overrides in cases.items():
        for override in overrides:
            answer = post(client, body_for(cs, copies=10) | override)
            assert answer.status_code == 422, (override, answer.content)
            assert field in fields_of(answer), (override, answer.json())
    assert post(client, body_for(cs, copies=10, title=9_999_999)).status_code == 404
    assert post(client, body_for(cs, copies=10)).status_code == 409
    assert Booking.objects.count() == 1


def test_a_refusal_names_what_the_full_rule_would(cs: Any, client_for: Any) -> None:
    """The quick refusal's free quantity and other weeks are the service's, and it reads once
    without taking the title's lock (requests for the last copies do not queue to be told)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bokbro.classsets import refusals, services
    from bokbro.classsets.tests.conftest import request_for

    client = client_for(None, language="en")
    start = next_monday()
    for weeks, copies in ((0, 12), (1, 21), (5, 30)):
        first = start + timedelta(weeks=weeks)
        book(cs, cs.title, copies=copies, starts_on=first, ends_on=first + timedelta(days=4))
    for _known in range(2):  # the site, and the region's schools (classsets/refusals.py)
        assert post(client, body_for(cs, copies=20)).status_code == 409
    refusals.forget()
    with CaptureQueriesContext(connection) as queries:
        answer = post(client, body_for(cs, copies=20))
    assert answer.status_code == 409
    assert len(queries) == 1 and "FOR UPDATE" not in queries[0]["sql"], queries.captured_queries
    # The next refusal is decided on that read, a moment old, without a query.
    with CaptureQueriesContext(connection) as queries:
        assert post(client, body_for(cs, copies=20)).json() == answer.json()
    assert len(queries) == 0, queries.captured_queries
    with pytest.raises(services.NotEnoughCopies) as full:
        services.booking_create(
            agency=cs.agency,
            request=request_for(
                cs, cs.title, copies=20, starts_on=start, ends_on=start + timedelta(days=25)
            ),
        )
    assert answer.json()["free"] == full.value.free == 9
    assert answer.json()["alternatives"] == [
        {"from": a.starts_on.isoformat(), "to": a.ends_on.isoformat()}
        for a in full.value.alternatives
    ]
    assert answer.json()["alternatives"]


def test_a_refusal_sends_no_mail_so_it_does_not_count_against_the_address(
    cs: Any, client_for: Any, settings: Any
) -> None:
    settings.MAIL_RATE_PER_ADDRESS = "2/3600"
    client = client_for(None, language="en")
    other = make_title(cs, copies=10, isbn="9788202111110", title="Brødrene Løvehjerte")
    assert post(client, body_for(cs, copies=25)).status_code == 201
    for _ in range(3):
        assert post(client, body_for(cs, copies=10)).status_code == 409
    assert post(client, body_for(cs, copies=5)).status_code == 201
    refused = post(client, body_for(cs, copies=1, title=other.pk))
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_mails"


def test_an_address_that_has_had_its_share_of_mail_cannot_join_the_queue_either(
    cs: Any, client_for: Any, settings: Any
) -> None:
    settings.MAIL_RATE_PER_ADDRESS = "1/3600"
    client = client_for(None, language="en")
    assert post(client, body_for(cs, copies=25)).status_code == 201
    refused = client.post(
        "/api/class-sets/queue",
        json.dumps(body_for(cs, copies=10)),
        content_type="application/json",
    )
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_mails"
    assert "too many e-mails" in refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert not QueueEntry.objects.exists()
