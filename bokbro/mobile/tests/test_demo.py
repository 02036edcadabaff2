"""The demo timetable: idempotent; two bokbusser per agency on two- and four-week rotations,
with schools, kindergartens and care homes, and the school holidays that stop school visits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bokbro.mobile import demo
from bokbro.mobile.models import (
    Cancellation,
    ExtraVisit,
    Follower,
    SchoolHoliday,
    Stop,
    Term,
    Vehicle,
    Visit,
    VisitCount,
)
from bokbro.mobile.selectors import occurrences, school_holidays

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    models = (Vehicle, Stop, Visit, SchoolHoliday, Term, Cancellation, ExtraVisit, Follower)
    return [m.objects.count() for m in (*models, VisitCount)]


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


def test_the_demo_shows_the_timetable_in_use(world: Any, client: Any) -> None:
    demo.load()
    current, draft = Term.objects.filter(agency=world.agency).order_by("starts_on")
    assert current.publish_on is not None and draft.publish_on is None
    # Next school year is the copy of this one, every visit a year on, on the same weekday.
    assert draft.visits.count() == current.visits.count() > 0
    assert not Visit.objects.filter(agency=world.agency, term=None).exists()
    stop = Stop.objects.get(agency=world.agency, name="Båstad butikk")
    assert Follower.objects.filter(stop=stop, confirmed_at__isnull=False).count() == 3
    page = client.get(f"/mobile-library/stops/{stop.pk}/").content.decode()
    assert "Bussen er på verksted" in page and "Ekstra besøk i vinterferien" in page
    counted = VisitCount.objects.filter(agency=world.agency)
    assert counted.count() > 20 and {c.visit.term_id for c in counted} == {current.pk}


def test_a_demo_school_is_not_visited_in_the_autumn_holiday(world: Any) -> None:
    demo.load()
    visit = Visit.objects.for_timetable().get(
        stop__name="Hærland skole", term__name__startswith="Skoleåret 2026"
    )
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
