"""The agency chooses which stop types pause in the school holidays: schools and kindergartens
until it chooses, then (say) care homes too, on the pages, feeds and API alike."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from bokbro.mobile import selectors
from bokbro.mobile.models import SchoolHoliday, StopKind
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def care_home(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 12, 1))
    route = make_route(world, make_vehicle(world))
    world.home = make_stop(world, "Gressvik sykehjem", StopKind.CARE_HOME)
    make_visit(
        world, route, world.home, rule="FREQ=WEEKLY", starts_on=date(2026, 12, 1), ends_on=None
    )
    SchoolHoliday.objects.create(
        agency=world.agency,
        name="Juleferie",
        starts_on=date(2026, 12, 21),
        ends_on=date(2027, 1, 1),
    )
    return world


def days(client: Any, stop: Any) -> list[str]:
    url = f"/api/mobile-library/stops/{stop.pk}/visits?from=2026-12-14&to=2027-01-06"
    return [v["date"] for v in client.get(url).json()]


def test_the_agency_chooses_the_stop_types_that_pause(care_home: Any, client_for: Any) -> None:
    reader = client_for(None)
    assert days(reader, care_home.home) == ["2026-12-15", "2026-12-22", "2026-12-29", "2027-01-05"]

    staff = client_for(care_home.consultant, language="en")
    page = staff.get("/mobile-library/staff/holidays/").content.decode()
    assert re.search(r'<input[^>]*value="school"[^>]*checked', page), "schools pause at first"
    assert not re.search(r'<input[^>]*value="care_home"[^>]*checked', page)
    response = staff.post(
        "/mobile-library/staff/holidays/stop-types/",
        {"kinds": ["school", "kindergarten", "care_home"]},
    )
    assert response.status_code == 302

    assert days(reader, care_home.home) == ["2026-12-15", "2027-01-05"]
    stop_page = reader.get(f"/mobile-library/stops/{care_home.home.pk}/").content.decode()
    assert "kommer ikke i skoleferiene" in stop_page or "school holidays" in stop_page
    feed = reader.get(f"/mobile-library/stops/{care_home.home.pk}/calendar.ics").content.decode()
    assert "EXDATE" in feed and "20261222" in feed
