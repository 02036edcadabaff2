"""Counts at the stop: staff enter loans, returns and visitors for a date of a visit, and they
show in the follow-up and annual report's figures and on the municipality's profile."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bokbro.mobile import plan_source, selectors, services
from bokbro.mobile.models import StopKind, VisitCount
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def bus(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 12, 1))
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.square = make_stop(world, "Torvet")
    world.school = make_stop(world, "Gressvik skole", StopKind.SCHOOL, n=1)
    world.visit = make_visit(world, world.route, world.square)  # every other Tuesday from 18 Aug
    world.school_visit = make_visit(
        world, world.route, world.school, arrival=time(9, 0), departure=time(9, 45)
    )
    return world


def count(bus: Any, visit: Any, day: date, loans: int, visitors: int) -> VisitCount:
    return services.count_save(
        actor=bus.consultant,
        agency=bus.agency,
        visit=visit,
        day=day,
        loans=loans,
        returns=loans - 1,
        visitors=visitors,
    )


def test_staff_enter_the_counts_on_the_visit_page_and_correct_them(
    bus: Any, client_for: Any
) -> None:
    staff = client_for(bus.consultant, language="en")
    url = f"/mobile-library/staff/visits/{bus.visit.pk}/counts/"
    form = {"date": "2026-09-01", "loans": "34", "returns": "29", "visitors": "18"}
    assert staff.post(url, form).status_code == 302
    assert staff.post(url, form | {"loans": "36"}).status_code == 302
    saved = VisitCount.objects.get()
    assert (saved.loans, saved.returns, saved.visitors) == (36, 29, 18)
    page = staff.get(f"/mobile-library/staff/visits/{bus.visit.pk}/").content.decode()
    assert "The latest counts" in page and "<td>36</td>" in page

    wrong_day = staff.post(url, form | {"date": "2026-09-02"})
    assert wrong_day.status_code == 400
    assert "does not come here on that date" in wrong_day.content.decode()
    too_many = staff.post(url, form | {"loans": "10001"})
    assert too_many.status_code == 400
    assert VisitCount.objects.count() == 1


def test_the_counts_make_the_figures_of_the_year(bus: Any) -> None:
    count(bus, bus.visit, date(2026, 9, 1), loans=34, visitors=18)
    count(bus, bus.visit, date(2026, 9, 15), loans=20, visitors=11)
    count(bus, bus.school_visit, date(2026, 9, 1), loans=60, visitors=25)
    with CaptureQueriesContext(connection) as queries:
        activities = plan_source.activities(bus.agency, 2026)
    assert len(queries) == 1
    figures = {str(f.label): f.value for f in plan_source.figures(activities)}
    assert figures["Mobile library visits made"] == 3
    assert figures["Loans from the mobile library"] == 114
    assert figures["Visitors to the mobile library"] == 54
    assert figures["Municipalities reached by the mobile library"] == 1
    assert figures["Mobile library stops visited: School"] == 1
    assert figures["Mobile library stops visited: Public stop"] == 1
    assert plan_source.activities(bus.agency, 2025) == []  # another year


def test_the_report_registry_has_the_mobile_library() -> None:
    from bokbro.reports.registry import registered

    assert "mobile" in {source.key for source in registered()}


def test_the_municipality_profile_shows_the_stops_and_the_years_counts(
    bus: Any, client_for: Any
) -> None:
    count(bus, bus.visit, date(2026, 9, 1), loans=34, visitors=18)
    place = bus.municipality
    url = reverse(
        "directory:municipality_profile",
        kwargs={"country": place.country.lower(), "code": place.code},
    )
    page = client_for(bus.consultant, language="en").get(url).content.decode()
    assert "Visits made in 2026: 1. Loans: 34. Visitors: 18." in page
    assert f'href="/mobile-library/stops/{bus.square.pk}/"' in page
