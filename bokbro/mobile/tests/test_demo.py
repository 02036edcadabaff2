"""The demo timetable: idempotent; two bokbusser per agency on two- and four-week rotations,
with schools, kindergartens and care homes, and the school holidays that stop school visits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bokbro.mobile import demo
from bokbro.mobile.models import SchoolHoliday, Stop, Vehicle, Visit
from bokbro.mobile.selectors import occurrences, school_holidays

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [m.objects.count() for m in (Vehicle, Stop, Visit, SchoolHoliday)]


def test_the_demo_is_idempotent_and_has_both_agencies_rotations(world: Any) -> None:
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    for agency in (world.agency, world.other_agency):
        assert Vehicle.objects.filter(agency=agency).count() == 2
        kinds = set(Stop.objects.filter(agency=agency).values_list("kind", flat=True))
        assert {"school", "kindergarten", "care_home", "public"} <= kinds
        rules = set(Visit.objects.filter(agency=agency).values_list("rule", flat=True))
        assert rules == {"FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=4"}


def test_a_demo_school_is_not_visited_in_the_autumn_holiday(world: Any) -> None:
    demo.load()
    visit = Visit.objects.for_timetable().get(stop__name="Hærland skole")
    found = occurrences(
        visit,
        date(2026, 9, 1),
        date(2026, 10, 31),
        country="NO",
        holidays=school_holidays(world.agency),
    )
    days = [o.day for o in found]
    assert date(2026, 9, 28) in days and date(2026, 10, 12) in days
    # Every other Monday from 17 August: 5 October is in the autumn holiday.
    assert date(2026, 10, 5) not in days
