"""The rule of a visit: its dates, the holidays it skips and the rule in the reader's words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from bokbro.mobile import recurrence


def test_every_other_tuesday_skips_the_public_holidays_and_the_school_holidays() -> None:
    # Every other Tuesday from 2026-12-15: 15 Dec, 29 Dec, 12 Jan …; 2026-12-29 in the Christmas
    # holiday (for a school); 2027-05-17 is not a Tuesday, but Constitution Day 2028 is a Wednesday.
    days = recurrence.expand(
        rule="FREQ=WEEKLY;INTERVAL=2",
        starts_on=date(2026, 12, 15),
        ends_on=None,
        first=date(2026, 12, 1),
        last=date(2027, 1, 31),
        holidays_off=recurrence.public_holidays("NO", date(2026, 12, 1), date(2027, 1, 31)),
        school_holidays=[(date(2026, 12, 21), date(2027, 1, 3))],
    )
    assert days == [date(2026, 12, 15), date(2027, 1, 12), date(2027, 1, 26)]


def test_a_visit_on_a_public_holiday_does_not_happen_in_norway_nor_in_sweden() -> None:
    # 17 May (Norway) and 6 June (Sweden), both in 2027 (a Monday and a Sunday).
    assert date(2027, 5, 17) in recurrence.public_holidays(
        "NO", date(2027, 5, 1), date(2027, 5, 31)
    )
    swedish = recurrence.public_holidays("SE", date(2027, 1, 1), date(2027, 12, 31))
    assert date(2027, 6, 6) in swedish
    # An ordinary Sunday is not a holiday (the package counts Sundays in Sweden by default).
    assert date(2027, 3, 7) not in swedish


def test_cancelled_dates_are_left_out() -> None:
    days = recurrence.expand(
        rule="FREQ=WEEKLY",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 22),
        first=date(2027, 1, 1),
        last=date(2027, 12, 31),
        cancelled={date(2027, 3, 8)},
    )
    assert days == [date(2027, 3, 1), date(2027, 3, 15), date(2027, 3, 22)]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;INTERVAL=two", "cannot be read"),
        ("FREQ=FORTNIGHTLY", "needs FREQ"),
        ("", "Enter a rule"),
        ("DTSTART:20260101\nRRULE:FREQ=WEEKLY", "only the rule"),
        ("FREQ=WEEKLY;UNTIL=20250101", "no date"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=1;COUNT=1", "no date"),
    ],
)
def test_a_rule_that_cannot_be_used_says_why(rule: str, message: str) -> None:
    with translation.override("en"), pytest.raises(recurrence.RuleError, match=message):
        recurrence.check(rule, date(2026, 8, 17), date(2026, 12, 18))


@pytest.mark.parametrize(
    ("language", "rule", "words"),
    [
        ("en", "FREQ=WEEKLY;INTERVAL=2", "every other Tuesday"),
        ("nb", "FREQ=WEEKLY;INTERVAL=2", "annenhver tirsdag"),
        ("nn", "FREQ=WEEKLY;INTERVAL=2", "annakvar tysdag"),
        ("sv", "FREQ=WEEKLY;INTERVAL=2", "varannan tisdag"),
        ("en", "FREQ=WEEKLY", "every Tuesday"),
        ("nb", "FREQ=WEEKLY;INTERVAL=4", "tirsdag hver 4. uke"),
        ("sv", "FREQ=WEEKLY;INTERVAL=3", "tisdag var 3:e vecka"),
        ("en", "FREQ=MONTHLY;BYDAY=1TU,3TU", "1st and 3rd Tuesday of the month"),
        ("nb", "FREQ=MONTHLY;BYDAY=1TU,3TU", "1. og 3. tirsdag i måneden"),
        ("sv", "FREQ=MONTHLY;BYDAY=2TU", "2:a tisdagen i månaden"),
        ("en", "FREQ=MONTHLY;BYDAY=-1FR", "last Friday of the month"),
        ("en", "FREQ=WEEKLY;BYMONTH=3", "FREQ=WEEKLY;BYMONTH=3"),
    ],
)
def test_the_rule_in_the_readers_words(language: str, rule: str, words: str) -> None:
    with translation.override(language):
        assert recurrence.describe(rule, date(2026, 8, 18)) == words


RULES = st.sampled_from(
    [
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH",
        "FREQ=WEEKLY;INTERVAL=4;BYDAY=SU;WKST=SU",
        "FREQ=DAILY;INTERVAL=10",
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31",
        "FREQ=MONTHLY",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=40",
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    rule=RULES,
    starts_on=st.dates(date(2015, 1, 1), date(2027, 12, 31)),
    offset=st.integers(0, 4000),
    length=st.integers(0, 400),
)
def test_skipping_whole_intervals_gives_the_same_dates_as_expanding_from_the_start(
    rule: str, starts_on: date, offset: int, length: int
) -> None:
    """The page expands a rule from near the window, not from its first visit: the dates must
    be those dateutil gives from the very start, for any rule, start and window."""
    first = starts_on + timedelta(days=offset - 200)
    last = first + timedelta(days=length)
    full = recurrence.parse(rule, starts_on).between(
        datetime.combine(first, time()), datetime.combine(last, time(23, 59)), inc=True
    )
    expected = sorted({d.date() for d in full if d.date() >= starts_on})
    assert recurrence.rule_dates(rule, starts_on, None, first, last) == expected


@settings(max_examples=200, deadline=None)
@given(
    rule=RULES,
    other=RULES,
    starts_on=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    other_starts_on=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
)
def test_rules_said_never_to_share_a_day_never_do(
    rule: str, other: str, starts_on: date, other_starts_on: date
) -> None:
    """The conflict check skips pairs of rules on different weekdays without expanding them."""
    if recurrence.may_share_a_day(rule, starts_on, other, other_starts_on):
        return
    first, last = date(2026, 1, 1), date(2028, 12, 31)
    mine = set(recurrence.rule_dates(rule, starts_on, None, first, last))
    theirs = set(recurrence.rule_dates(other, other_starts_on, None, first, last))
    assert not mine & theirs
