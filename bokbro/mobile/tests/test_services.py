"""The rules of the timetable, held by the services: each refusal says what is wrong, and
nothing is saved."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from bokbro.directory.models import Municipality
from bokbro.mobile import services
from bokbro.mobile.models import Cancellation, Stop, Visit
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def bus(world: Any) -> Any:
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.square = make_stop(world, "Torvet")
    world.school = make_stop(world, "Gressvik skole", n=1)
    world.visit = make_visit(world, world.route, world.square)
    return world


def refused(call: Any, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    messages = error.value.message_dict
    assert field in messages, messages
    return " ".join(messages[field])


def test_one_vehicle_cannot_be_in_two_places_at_once(bus: Any) -> None:
    other_route = make_route(bus, bus.bus, "Tirsdag uke 2")
    message = refused(
        lambda: make_visit(
            bus, other_route, bus.school, arrival=time(11, 0), departure=time(11, 30)
        ),
        "arrival",
    )
    assert "Bokbussen Østfold is at Torvet (Gressvik) from 10:50 to 11:05 on 2026-08-18" in message
    assert Visit.objects.count() == 1


def test_the_same_hour_in_the_other_week_is_no_conflict(bus: Any) -> None:
    other_route = make_route(bus, bus.bus, "Tirsdag uke 2")
    make_visit(bus, other_route, bus.school, starts_on=date(2026, 8, 25))
    assert Visit.objects.count() == 2


def test_a_stop_visited_before_the_previous_stop_departs_is_refused(bus: Any) -> None:
    message = refused(
        lambda: make_visit(bus, bus.route, bus.school, arrival=time(11, 0), departure=time(11, 20)),
        "arrival",
    )
    assert "two places at once" in message


def test_departure_before_arrival_is_refused(bus: Any) -> None:
    message = refused(
        lambda: make_visit(bus, bus.route, bus.school, arrival=time(13, 0), departure=time(12, 0)),
        "departure",
    )
    assert "cannot leave before it arrives" in message


def test_an_rrule_with_no_date_in_the_term_is_refused(bus: Any) -> None:
    message = refused(
        lambda: make_visit(
            bus,
            bus.route,
            bus.school,
            arrival=time(13, 0),
            departure=time(13, 30),
            rule="FREQ=WEEKLY;UNTIL=20260801",
        ),
        "rule",
    )
    assert "no date from 2026-08-18 to 2026-12-18" in message
    assert "cannot be read" in refused(
        lambda: make_visit(bus, bus.route, bus.school, rule="FREQ=WEEKLY;BYDAY=XX"), "rule"
    )


def test_coordinates_outside_the_country_are_refused(bus: Any) -> None:
    stop = Stop(
        name="London",
        municipality=bus.municipality,
        latitude=Decimal("51.5"),
        longitude=Decimal("-0.1"),
    )
    message = refused(
        lambda: services.stop_save(actor=bus.consultant, agency=bus.agency, stop=stop), "latitude"
    )
    assert "outside Norway" in message
    assert not Stop.objects.filter(name="London").exists()


def test_a_stop_in_another_agencys_municipality_is_refused(bus: Any) -> None:
    swedish = Municipality.objects.get(code="0683")
    stop = Stop(name="Torget", municipality=swedish)
    message = refused(
        lambda: services.stop_save(actor=bus.consultant, agency=bus.agency, stop=stop),
        "municipality",
    )
    assert "Värnamo is not in a county your agency serves" in message


def test_a_cancellation_must_be_a_day_the_bus_comes(bus: Any) -> None:
    message = refused(
        lambda: services.visit_cancel(
            actor=bus.consultant,
            agency=bus.agency,
            visit=bus.visit,
            day=date(2026, 8, 19),
            reason="x",
        ),
        "date",
    )
    assert "does not come here on that date" in message
    services.visit_cancel(
        actor=bus.consultant,
        agency=bus.agency,
        visit=bus.visit,
        day=date(2026, 9, 1),
        reason="Verksted",
    )
    assert Cancellation.objects.get().reason == "Verksted"


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
)
def test_parallel_staff_cannot_book_one_vehicle_twice_for_the_same_hour(
    transactional_db: Any,
) -> None:
    from bokbro.conftest import make_world
    from bokbro.events.tests.test_concurrency import run_parallel

    world = make_world()
    bus = make_vehicle(world)
    routes = [make_route(world, bus, f"Rute {n}") for n in range(10)]
    stops = [make_stop(world, f"Stopp {n}", n=n) for n in range(10)]
    jobs: list[Callable[[], Any]] = [
        functools.partial(
            make_visit, world, routes[n], stops[n], arrival=time(9, n), departure=time(9, 30)
        )
        for n in range(10)
    ]
    results = run_parallel(jobs, workers=10)
    saved = [r for r in results if isinstance(r, Visit)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1, results
    assert len(refusals) == 9
    assert Visit.objects.count() == 1
