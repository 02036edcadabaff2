"""The mobile library's API: stops, routes, and a stop's concrete visits in a date range with
cancellations marked; bad ranges answer 422 with a reason."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from bokbro.mobile import services
from bokbro.mobile.models import ExtraVisit, StopKind
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any) -> Any:
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.school = make_stop(world, "Gressvik skole", StopKind.SCHOOL)
    world.square = make_stop(world, "Torvet", n=1)
    world.visit = make_visit(
        world, world.route, world.school, starts_on=date(2026, 12, 1), ends_on=None
    )
    make_visit(
        world,
        world.route,
        world.square,
        arrival=time(9, 0),
        departure=time(9, 30),
        starts_on=date(2026, 12, 1),
        ends_on=None,
    )
    services.visit_cancel(
        actor=world.consultant,
        agency=world.agency,
        visit=world.visit,
        day=date(2026, 12, 15),
        reason="Verksted",
    )
    services.extra_save(
        actor=world.consultant,
        agency=world.agency,
        extra=ExtraVisit(
            route=world.route,
            stop=world.school,
            date=date(2027, 1, 5),
            arrival=time(12, 0),
            departure=time(12, 30),
            reason="Lesefest",
        ),
    )
    return world


def test_stops_list_each_stop_with_type_municipality_and_coordinates(api: Any, client: Any) -> None:
    body = client.get("/api/mobile-library/stops").json()
    school = next(s for s in body["items"] if s["name"] == "Gressvik skole")
    assert school["type"] == "school"
    assert school["municipality"] == "Fredrikstad" and school["municipality_code"] == "3107"
    assert school["latitude"] is not None


def test_routes_list_their_stops_in_order_of_arrival(api: Any, client: Any) -> None:
    (route,) = client.get("/api/mobile-library/routes").json()["items"]
    assert route["stops"] == [api.square.pk, api.school.pk]
    assert route["vehicle"] == "Bokbussen Østfold"


def test_a_stops_visits_are_the_rule_minus_holidays_with_cancellations_marked(
    api: Any, client: Any
) -> None:
    url = f"/api/mobile-library/stops/{api.school.pk}/visits?from=2026-12-01&to=2027-01-31"
    body = client.get(url).json()
    days = [(v["date"], v["cancelled"], v["extra"]) for v in body]
    # Every other Tuesday from 1 December; 29 December is in no school holiday here; the extra
    # visit of 5 January between them.
    assert days == [
        ("2026-12-01", False, False),
        ("2026-12-15", True, False),
        ("2026-12-29", False, False),
        ("2027-01-05", False, True),
        ("2027-01-12", False, False),
        ("2027-01-26", False, False),
    ]
    assert body[1]["reason"] == "Verksted"
    assert body[3]["reason"] == "Lesefest" and body[3]["arrival"] == "12:00:00"
    assert body[0]["arrival"] == "10:50:00"


def test_the_changes_list_cancellations_and_extra_visits_with_their_reasons(
    api: Any, client: Any
) -> None:
    body = client.get("/api/mobile-library/changes?from=2026-12-01&to=2027-01-31").json()
    changes = [(c["kind"], c["date"], c["stop"], c["reason"]) for c in body["items"]]
    assert changes == [
        ("cancelled", "2026-12-15", api.school.pk, "Verksted"),
        ("extra", "2027-01-05", api.school.pk, "Lesefest"),
    ]
    assert body["items"][0]["stop_name"] == "Gressvik skole (Gressvik)"
    later = client.get("/api/mobile-library/changes?from=2027-01-06&to=2027-01-31").json()
    assert later["items"] == []
    other = client.get("/api/mobile-library/changes", HTTP_HOST="jonkoping.testserver").json()
    assert other["items"] == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("from=2027-01-01&to=2026-01-01", "`to` is before `from`."),
        ("from=2026-01-01&to=2030-01-01", "Ask for at most three years at a time."),
    ],
)
@pytest.mark.parametrize("path", ["stops/{pk}/visits", "changes"])
def test_a_bad_range_answers_422_with_the_reason(
    api: Any, client: Any, query: str, reason: str, path: str
) -> None:
    url = path.format(pk=api.school.pk)
    response = client.get(f"/api/mobile-library/{url}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"] == reason
    assert response.json()["errors"] == [{"field": "to", "code": "range", "message": reason}]


def test_a_date_that_is_not_a_date_answers_422_and_a_foreign_stop_404(
    api: Any, client: Any
) -> None:
    response = client.get(f"/api/mobile-library/stops/{api.school.pk}/visits?from=yesterday")
    assert response.status_code == 422
    response = client.get(
        f"/api/mobile-library/stops/{api.school.pk}/visits", HTTP_HOST="jonkoping.testserver"
    )
    assert response.status_code == 404


def test_the_operations_are_documented(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/mobile-library/stops" in paths
    visits = paths["/api/mobile-library/stops/{stop_id}/visits"]["get"]
    assert {"404", "422"} <= set(visits["responses"])
    assert {p["name"] for p in visits["parameters"]} >= {"from", "to", "stop_id"}
    changes = paths["/api/mobile-library/changes"]["get"]
    assert {"200", "422"} <= set(changes["responses"])
