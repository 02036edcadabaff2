"""Timetable terms: staff prepare the next term's timetable as a draft; the public sees it from
the chosen day, and the current timetable stays public until then."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from icalendar import Calendar

from bokbro.mobile import selectors, services
from bokbro.mobile.models import Term, Visit
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle

pytestmark = pytest.mark.django_db

AUTUMN_FIRST_TUESDAY = date(2026, 8, 18)
SPRING_FIRST_MONDAY = date(2027, 1, 4)


@pytest.fixture
def terms(world: Any, monkeypatch: Any) -> Any:
    """The autumn timetable is public; the spring one a draft public from 15 December."""
    world.today = date(2026, 12, 1)
    monkeypatch.setattr(selectors, "today", lambda: world.today)
    common = {"actor": world.consultant, "agency": world.agency}
    world.autumn = services.term_save(
        term=Term(
            name="Høsten 2026",
            starts_on=date(2026, 8, 17),
            ends_on=date(2026, 12, 18),
            publish_on=date(2026, 6, 1),
        ),
        **common,
    )
    world.spring = services.term_save(
        term=Term(
            name="Våren 2027",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 6, 18),
            publish_on=date(2026, 12, 15),
        ),
        **common,
    )
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.square = make_stop(world, "Torvet")
    world.autumn_visit = services.visit_save(
        visit=Visit(
            term=world.autumn,
            route=world.route,
            stop=world.square,
            arrival=time(10, 50),
            departure=time(11, 5),
            rule="FREQ=WEEKLY;INTERVAL=2",
            starts_on=AUTUMN_FIRST_TUESDAY,
        ),
        **common,
    )
    # Same stop and time, new weekday in the spring: Mondays.
    world.spring_visit = services.visit_save(
        visit=Visit(
            term=world.spring,
            route=world.route,
            stop=world.square,
            arrival=time(10, 50),
            departure=time(11, 5),
            rule="FREQ=WEEKLY",
            starts_on=SPRING_FIRST_MONDAY,
        ),
        **common,
    )
    return world


def stop_page(terms: Any, client: Any) -> str:
    return client.get(f"/mobile-library/stops/{terms.square.pk}/").content.decode()


def test_the_draft_is_hidden_until_its_day_and_the_current_timetable_stays(
    terms: Any, client: Any
) -> None:
    with translation.override("en"):
        before = stop_page(terms, client)
    assert "Every other Tuesday" in before or "Annenhver tirsdag" in before
    assert "Hver mandag" not in before and "Every Monday" not in before
    feed = Calendar.from_ical(
        client.get(f"/mobile-library/stops/{terms.square.pk}/calendar.ics").content
    )
    assert len(list(feed.walk("VEVENT"))) == 1
    january = f"/api/mobile-library/stops/{terms.square.pk}/visits?from=2027-01-01&to=2027-01-31"
    assert client.get(january).json() == []

    # The publication day. The kept pages are by the real day, which the test does not move.
    terms.today = date(2026, 12, 15)
    cache.clear()
    page = stop_page(terms, client)
    assert "Hver mandag" in page or "Every Monday" in page
    assert "Annenhver tirsdag" in page or "Every other Tuesday" in page  # still until 18 Dec
    feed = Calendar.from_ical(
        client.get(f"/mobile-library/stops/{terms.square.pk}/calendar.ics").content
    )
    assert len(list(feed.walk("VEVENT"))) == 2
    mondays = [v["date"] for v in client.get(january).json()]
    assert mondays[:2] == ["2027-01-04", "2027-01-11"]


def test_a_visit_keeps_within_its_term(terms: Any) -> None:
    assert terms.spring_visit.ends_on == terms.spring.ends_on  # open-ended: the term's end
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.visit_save(
            actor=terms.consultant,
            agency=terms.agency,
            visit=Visit(
                term=terms.spring,
                route=terms.route,
                stop=make_stop(terms, "Skolen", n=1),
                arrival=time(13, 0),
                departure=time(13, 30),
                rule="FREQ=WEEKLY",
                starts_on=date(2026, 12, 28),
            ),
        )
    assert "from 2027-01-04 to 2027-06-18" in " ".join(error.value.message_dict["starts_on"])
    # A term cannot be shortened past its visits.
    terms.spring.ends_on = date(2027, 3, 1)
    with pytest.raises(ValidationError):
        services.term_save(actor=terms.consultant, agency=terms.agency, term=terms.spring)


def test_staff_publish_a_draft_term_on_a_day(terms: Any, client_for: Any) -> None:
    staff = client_for(terms.consultant, language="en")
    page = staff.get("/mobile-library/staff/terms/").content.decode()
    assert "draft, public from" in page
    response = staff.post(
        f"/mobile-library/staff/terms/{terms.spring.pk}/",
        {
            "name": "Våren 2027",
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-18",
            "publish_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    terms.spring.refresh_from_db()
    assert terms.spring.publish_on == date(2026, 12, 1)
    assert "public" in staff.get("/mobile-library/staff/terms/").content.decode()


def test_staff_copy_a_term_as_next_terms_draft_and_hear_what_was_left_out(
    terms: Any, client_for: Any
) -> None:
    common = {"actor": terms.consultant, "agency": terms.agency}
    tuesday = {"route": terms.route, "rule": "FREQ=WEEKLY", "starts_on": AUTUMN_FIRST_TUESDAY}
    school, home, other = (make_stop(terms, name, n=n) for n, name in enumerate("ABC", 1))
    # Ended in October by its own rule: no date next autumn.
    services.visit_save(
        visit=Visit(
            term=terms.autumn,
            stop=school,
            arrival=time(13, 0),
            departure=time(13, 30),
            **tuesday | {"rule": "FREQ=WEEKLY;UNTIL=20261001"},
        ),
        **common,
    )
    services.visit_save(
        visit=Visit(
            term=terms.autumn, stop=home, arrival=time(14, 0), departure=time(14, 30), **tuesday
        ),
        **common,
    )
    # Next August the bus is already booked on Tuesdays at two.
    services.visit_save(
        visit=Visit(
            stop=other,
            arrival=time(14, 0),
            departure=time(14, 30),
            **tuesday | {"starts_on": date(2027, 8, 3)},
        ),
        **common,
    )
    staff = client_for(terms.consultant, language="en")
    url = f"/mobile-library/staff/terms/{terms.autumn.pk}/copy/"
    assert 'value="2026-12-19"' in staff.get(url).content.decode()
    response = staff.post(
        url, {"name": "Høsten 2027", "starts_on": "2027-08-16", "ends_on": "2027-12-17"}
    )
    assert response.status_code == 302
    new = Term.objects.get(name="Høsten 2027")
    assert new.publish_on is None  # a draft
    (copied,) = new.visits.all()
    assert (copied.stop, copied.rule) == (terms.square, "FREQ=WEEKLY;INTERVAL=2")
    assert (copied.starts_on, copied.ends_on) == (date(2027, 8, 17), date(2027, 12, 17))
    page = staff.get("/mobile-library/staff/terms/").content.decode()
    assert "Høsten 2027 is a draft with 1 visit copied from Høsten 2026." in page
    assert "the rule gives no date in Høsten 2027" in page
    assert "one mobile library cannot be in two places at once" in page
