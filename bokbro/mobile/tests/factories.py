"""A small Norwegian timetable for the tests: one bus, one route, stops in Fredrikstad."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from bokbro.mobile import services
from bokbro.mobile.models import Route, Stop, StopKind, Vehicle, Visit


def make_vehicle(world: Any, name: str = "Bokbussen Østfold") -> Vehicle:
    return services.vehicle_save(
        actor=world.consultant,
        agency=world.agency,
        vehicle=Vehicle(name=name, accessibility="Heis bak"),
    )


def make_route(world: Any, vehicle: Vehicle, name: str = "Tirsdag uke 1") -> Route:
    return services.route_save(
        actor=world.consultant, agency=world.agency, route=Route(vehicle=vehicle, name=name)
    )


def make_stop(world: Any, name: str, kind: str = StopKind.PUBLIC, n: int = 0) -> Stop:
    return services.stop_save(
        actor=world.consultant,
        agency=world.agency,
        stop=Stop(
            name=name,
            kind=kind,
            community="Gressvik",
            municipality=world.municipality,
            latitude=Decimal("59.2") + Decimal(n) / 1000,
            longitude=Decimal("10.9"),
            note="Ved butikken",
        ),
    )


def make_visit(
    world: Any,
    route: Route,
    stop: Stop,
    arrival: time = time(10, 50),
    departure: time = time(11, 5),
    rule: str = "FREQ=WEEKLY;INTERVAL=2",
    starts_on: date = date(2026, 8, 18),
    ends_on: date | None = date(2026, 12, 18),
) -> Visit:
    return services.visit_save(
        actor=world.consultant,
        agency=world.agency,
        visit=Visit(
            route=route,
            stop=stop,
            arrival=arrival,
            departure=departure,
            rule=rule,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
    )
