"""The class sets' API: the catalogue, the schools, a title's weeks, and a booking answering
201, 409 with the free quantity, 422 with the reason — with the web form's rules."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bokbro.classsets.models import Booking
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
    assert bad.status_code == 422
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
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["copies"]
