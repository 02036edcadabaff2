"""The public timetable: a municipality's stops with their next visits and cancellations, a
stop, a route, the map only where a tile server is set, and the iCalendar feeds read back."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any, cast

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from bokbro.events import page_cache
from bokbro.mobile import selectors, services
from bokbro.mobile.models import SchoolHoliday, StopKind
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def timetable(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 12, 1))
    bus = make_vehicle(world)
    route = make_route(world, bus)
    square = make_stop(world, "Torvet")
    school = make_stop(world, "Gressvik skole", StopKind.SCHOOL, n=1)
    world.square_visit = make_visit(world, route, square, starts_on=date(2026, 12, 1), ends_on=None)
    world.school_visit = make_visit(
        world,
        route,
        school,
        arrival=time(12, 0),
        departure=time(12, 45),
        rule="FREQ=WEEKLY",
        starts_on=date(2026, 12, 1),
        ends_on=None,
    )
    SchoolHoliday.objects.create(
        agency=world.agency,
        name="Juleferie",
        starts_on=date(2026, 12, 19),
        ends_on=date(2027, 1, 3),
    )
    services.visit_cancel(
        actor=world.consultant,
        agency=world.agency,
        visit=world.square_visit,
        day=date(2026, 12, 15),
        reason="Bussen er på verksted",
    )
    world.bus, world.route, world.square, world.school = bus, route, square, school
    return world


def in_language(client: Any, language: str) -> Any:
    client.cookies["bokbro_language"] = language
    return client


def test_the_municipality_page_lists_each_stop_with_its_rule_times_and_next_dates(
    timetable: Any, client: Any
) -> None:
    page = in_language(client, "nb").get(
        f"/mobile-library/municipalities/{timetable.municipality.pk}/"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Annenhver tirsdag, 10:50–11:05" in text
    assert "Hver tirsdag, 12:00–12:45" in text
    assert 'datetime="2026-12-01"' in text
    # Cancelled with the reason; the school is not visited in the Christmas holiday.
    assert "Bussen er på verksted" in text
    assert 'datetime="2026-12-22"' not in text.split("Gressvik skole")[1].split("</section>")[0]


def test_the_stop_page_shows_its_visits_and_the_feed(timetable: Any, client: Any) -> None:
    page = in_language(client, "sv").get(f"/mobile-library/stops/{timetable.square.pk}/")
    text = page.content.decode()
    assert "Varannan tisdag, 10:50–11:05" in text
    assert f"/mobile-library/stops/{timetable.square.pk}/calendar.ics" in text
    assert "Ved butikken" in text


def test_no_map_box_unless_a_tile_server_is_set(timetable: Any, client: Any, settings: Any) -> None:
    path = f"/mobile-library/municipalities/{timetable.municipality.pk}/"
    settings.MOBILE_MAP_TILES = ""
    assert "data-mobile-map" not in client.get(path).content.decode()
    assert "leaflet" not in client.get(path).content.decode()
    settings.MOBILE_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    text = client.get(path).content.decode()
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in text
    assert "vendor/leaflet/leaflet.js" in text and '"name": "Torvet (Gressvik)"' in text


def test_the_municipality_page_reads_as_many_queries_for_sixty_stops_as_for_two(
    timetable: Any, client: Any
) -> None:
    path = f"/mobile-library/municipalities/{timetable.municipality.pk}/"
    client.get(path)
    # The page built, not the kept one (the next test's business), and the timetable's version
    # read from the database both times.
    page_cache.forget_all()
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    route = timetable.route
    for n in range(58):
        if n % 10 == 0:
            route = make_route(timetable, timetable.bus, f"Rute {n}")
        stop = make_stop(timetable, f"Stopp {n}", n=n + 2)
        minute = (n % 10) * 20
        make_visit(
            timetable,
            route,
            stop,
            arrival=time(6 + minute // 60, minute % 60),
            departure=time(6 + minute // 60, minute % 60 + 10),
            rule="FREQ=WEEKLY;INTERVAL=2",
            starts_on=date(2026, 12, 2) + timedelta(days=n // 10),
            ends_on=date(2029, 12, 1),
        )
    page_cache.forget_all()
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get(path)
    assert page.content.decode().count('class="stack ds-card mobile-stop"') == 60
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_kept_page_is_served_until_the_timetable_changes(timetable: Any, client: Any) -> None:
    path = f"/mobile-library/stops/{timetable.square.pk}/"
    page_cache.forget_all()
    first = client.get(path).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = client.get(path).content.decode()
    assert len(kept) == 0, [q["sql"] for q in kept.captured_queries]
    unmasked = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert unmasked.sub("", second) == unmasked.sub("", first)
    services.visit_cancel(
        actor=timetable.consultant,
        agency=timetable.agency,
        visit=timetable.square_visit,
        day=date(2026, 12, 29),
        reason="Stengt for vedlikehold",
    )
    assert "Stengt for vedlikehold" in client.get(path).content.decode()


def test_a_stop_of_another_agency_is_not_found(timetable: Any, client: Any) -> None:
    assert (
        client.get(
            f"/mobile-library/stops/{timetable.square.pk}/", HTTP_HOST="jonkoping.testserver"
        ).status_code
        == 404
    )


def skipped_dates(event: Any) -> set[date]:
    """The dates of an event's EXDATE lines (one property or a list of them)."""
    found = event["EXDATE"]
    return {
        d.dt.date() for line in (found if isinstance(found, list) else [found]) for d in line.dts
    }


def _read(response: Any) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_stop_feed_has_one_event_per_visit_with_its_rule_and_the_dates_it_skips(
    timetable: Any, client: Any
) -> None:
    cal = _read(client.get(f"/mobile-library/stops/{timetable.square.pk}/calendar.ics"))
    (event,) = cast(list[Any], cal.walk("VEVENT"))
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2"
    assert event.decoded("DTSTART").isoformat() == "2026-12-01T10:50:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2026-12-01T11:05:00+01:00"
    skipped = skipped_dates(event)
    assert date(2026, 12, 15) in skipped  # cancelled
    assert date(2026, 12, 29) not in skipped  # a public stop in the school holiday
    assert cal.walk("VTIMEZONE"), "Outlook needs the time zone"


def test_the_vehicle_and_route_feeds_hold_every_visit_and_skip_school_holidays(
    timetable: Any, client: Any
) -> None:
    for path in (
        f"/mobile-library/vehicles/{timetable.bus.pk}/calendar.ics",
        f"/mobile-library/routes/{timetable.route.pk}/calendar.ics",
    ):
        events = _read(client.get(path)).walk("VEVENT")
        assert len(events) == 2
        school = next(e for e in events if "skole" in str(e["SUMMARY"]))
        skipped = skipped_dates(school)
        assert {date(2026, 12, 22), date(2026, 12, 29)} <= skipped
        assert date(2026, 12, 8) not in skipped


def test_the_index_lists_municipalities_and_routes(timetable: Any, client: Any) -> None:
    text = in_language(client, "en").get("/mobile-library/").content.decode()
    assert "Fredrikstad" in text and "2 stops" in text
    assert "Tirsdag uke 1" in text
