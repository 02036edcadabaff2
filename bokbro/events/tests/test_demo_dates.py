"""The demo's courses fall on working days: no weekend, no public holiday, not Christmas Eve."""

from __future__ import annotations

from datetime import date

import holidays
import pytest
from django.core.management import call_command
from django.utils import timezone

from bokbro.accounts import demo as accounts_demo
from bokbro.directory import demo as directory_demo
from bokbro.events import demo
from bokbro.events.demo import working_days
from bokbro.events.models import Session


def test_working_days_skip_weekends_holidays_and_keep_the_order() -> None:
    # Christmas 2026 in Norway: Thursday 24th (Christmas Eve), 25th and 26th (Saturday), 27th
    # Sunday; 28th is a Monday. A second session on the 28th moves to the 29th.
    assert working_days([date(2026, 12, 24), date(2026, 12, 28)], "NO") == [
        date(2026, 12, 28),
        date(2026, 12, 29),
    ]
    # Ascension Day 2027 (Thursday 6 May) in Sweden.
    assert working_days([date(2027, 5, 6)], "SE") == [date(2027, 5, 7)]


@pytest.mark.django_db
def test_no_demo_session_falls_on_a_weekend_or_a_public_holiday() -> None:
    call_command("import_directory")
    directory_demo.load()
    accounts_demo.load()
    demo.load()
    sessions = list(Session.objects.select_related("event__agency"))
    assert sessions
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        closed = holidays.country_holidays(session.event.agency.country, years=day.year)
        assert day.weekday() < 5, f"{session.event.title} on a {day:%A}"
        assert day not in closed, f"{session.event.title} on {closed.get(day)}"
