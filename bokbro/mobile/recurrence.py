"""The mobile library's timetable rules as plain functions, with no database: reading an
iCalendar RRULE, expanding a visit into its concrete dates, and saying a rule in words.

The concrete dates of a visit in a window are the RRULE's dates (dateutil, from the first
visit, up to the last visit) minus its cancelled dates, minus the public holidays of the
agency's country (the `holidays` package, Sundays not counted as holidays), minus the agency's
school holidays when the stop is a school or a kindergarten.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime, time, timedelta

import holidays
from dateutil.rrule import rrule, rrulestr
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# An open-ended visit is checked over its first year.
OPEN_TERM = timedelta(days=366)


class RuleError(ValueError):
    """An RRULE that cannot be used, with a message for the person who typed it."""


def normalise(rule: str) -> str:
    """The rule as stored: upper case, without an `RRULE:` prefix or spaces."""
    text = "".join(rule.split()).upper()
    return text.removeprefix("RRULE:")


@functools.lru_cache(maxsize=4096)
def parse(rule: str, starts_on: date) -> rrule:
    """The rule from `starts_on`, or RuleError saying what is wrong with it."""
    text = normalise(rule)
    if not text:
        raise RuleError(_("Enter a rule, for example FREQ=WEEKLY;INTERVAL=2."))
    if "DTSTART" in text or ":" in text:
        raise RuleError(_("Enter only the rule itself; the first visit is its own field."))
    parts = dict(part.partition("=")[::2] for part in text.split(";") if part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        raise RuleError(_("The rule needs FREQ=WEEKLY, FREQ=MONTHLY, FREQ=DAILY or FREQ=YEARLY."))
    try:
        parsed = rrulestr(
            text, dtstart=datetime.combine(starts_on, time()), ignoretz=True, forceset=False
        )
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise RuleError(
            _("The rule cannot be read (%(error)s). Example: FREQ=MONTHLY;BYDAY=1TU,3TU.")
            % {"error": error}
        ) from error
    assert isinstance(parsed, rrule)
    return parsed


def rule_dates(
    rule: str, starts_on: date, ends_on: date | None, first: date, last: date
) -> list[date]:
    """The RRULE's own dates from `first` to `last` (inclusive), within the visit's period."""
    first = max(first, starts_on)
    if ends_on is not None:
        last = min(last, ends_on)
    if last < first:
        return []
    parsed = parse(rule, later_start(rule, starts_on, first))
    found = parsed.between(
        datetime.combine(first, time()), datetime.combine(last, time(23, 59)), inc=True
    )
    return sorted({moment.date() for moment in found})


def later_start(rule: str, starts_on: date, first: date) -> date:
    """A first visit nearer `first` that gives the rule the same dates from `first` on, so a
    rule that has run for years is not expanded from its beginning on every page: whole
    intervals of the rule are skipped. Only where no date depends on counting from the start
    (no COUNT, no BYSETPOS); weekly and daily rules by whole intervals of days, monthly rules
    that name their days (BYDAY, BYMONTHDAY) by whole intervals of months, from the 1st."""
    if first <= starts_on:
        return starts_on
    parts = dict(part.partition("=")[::2] for part in normalise(rule).split(";") if part)
    if "COUNT" in parts or "BYSETPOS" in parts:
        return starts_on
    try:
        interval = max(1, int(parts.get("INTERVAL", "1")))
    except ValueError:
        return starts_on
    frequency = parts.get("FREQ")
    if frequency in ("WEEKLY", "DAILY"):
        step = interval * (7 if frequency == "WEEKLY" else 1)
        periods = (first - starts_on).days // step - 1
        return starts_on + timedelta(days=periods * step) if periods > 0 else starts_on
    if frequency == "MONTHLY" and ("BYDAY" in parts or "BYMONTHDAY" in parts):
        months = (first.year - starts_on.year) * 12 + first.month - starts_on.month
        periods = months // interval - 1
        if periods > 0:
            month = starts_on.month - 1 + periods * interval
            return date(starts_on.year + month // 12, month % 12 + 1, 1)
    return starts_on


@functools.lru_cache(maxsize=4096)
def weekdays(rule: str, starts_on: date) -> frozenset[int]:
    """The weekdays (0 = Monday) the rule's dates can fall on; all seven where it cannot say."""
    parts = dict(part.partition("=")[::2] for part in normalise(rule).split(";") if part)
    days = [d[-2:] for d in parts.get("BYDAY", "").split(",") if d]
    if days and all(d in DAY_CODES for d in days):
        return frozenset(DAY_CODES.index(d) for d in days)
    if parts.get("FREQ") == "WEEKLY" and not days:
        return frozenset({starts_on.weekday()})
    return frozenset(range(7))


def may_share_a_day(rule: str, starts_on: date, other: str, other_starts_on: date) -> bool:
    """False when two rules can never give the same date (they fall on different weekdays): the
    quick test before expanding both."""
    return bool(weekdays(rule, starts_on) & weekdays(other, other_starts_on))


@functools.lru_cache(maxsize=64)
def _holidays_of(country: str, year: int) -> frozenset[date]:
    if country == "SE":
        # The package counts every Sunday as a Swedish holiday unless told not to.
        found = holidays.country_holidays("SE", years=year)
        found = type(found)(years=year, include_sundays=False)  # type: ignore[call-arg]
    else:
        found = holidays.country_holidays(country, years=year)
    return frozenset(found.keys())


def public_holidays(country: str, first: date, last: date) -> frozenset[date]:
    """The public holidays of `country` (NO or SE; others as the package knows them) from
    `first` to `last`."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        try:
            days |= _holidays_of(country, year)
        except NotImplementedError:
            return frozenset()
    return frozenset(d for d in days if first <= d <= last)


def in_periods(day: date, periods: Sequence[tuple[date, date]]) -> bool:
    return any(start <= day <= end for start, end in periods)


def expand(
    *,
    rule: str,
    starts_on: date,
    ends_on: date | None,
    first: date,
    last: date,
    cancelled: Collection[date] = (),
    holidays_off: Collection[date] = (),
    school_holidays: Sequence[tuple[date, date]] = (),
) -> list[date]:
    """The dates a visit happens from `first` to `last`: its rule's dates minus the cancelled
    dates, the public holidays (`holidays_off`) and, for schools and kindergartens, the school
    holidays (pass none for other stops)."""
    return [
        day
        for day in rule_dates(rule, starts_on, ends_on, first, last)
        if day not in cancelled and day not in holidays_off and not in_periods(day, school_holidays)
    ]


def check(rule: str, starts_on: date, ends_on: date | None) -> str:
    """The rule, normalised, if it gives at least one date in the visit's term; else
    RuleError."""
    text = normalise(rule)
    last = ends_on or starts_on + OPEN_TERM
    parse(text, starts_on)
    if not rule_dates(text, starts_on, ends_on, starts_on, last):
        raise RuleError(
            _(
                "The rule gives no date from %(first)s to %(last)s: "
                "check COUNT, UNTIL and the dates."
            )
            % {"first": starts_on.isoformat(), "last": last.isoformat()}
        )
    return text


# --- The rule in words ---------------------------------------------------------------------------


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _weekday(code: str) -> str:
    name = str(WEEKDAYS[DAY_CODES.index(code)])
    return name if (get_language() or "en").startswith("en") else name.lower()


def _ordinal(n: int) -> str:
    if n == -1:
        return _("last")
    language = (get_language() or "en")[:2]
    if language == "sv":
        return f"{n}:{'a' if n in (1, 2) else 'e'}"
    if language == "en":
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
        return f"{n}{suffix}"
    return f"{n}."


def describe(rule: str, starts_on: date) -> str:
    """The rule in the reader's language: "every other Tuesday", "annenhver tirsdag",
    "1st and 3rd Tuesday of the month"; the rule itself where words would not say it all."""
    text = normalise(rule)
    parts = dict(part.partition("=")[::2] for part in text.split(";") if part)
    if set(parts) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return text
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return text
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if parts.get("FREQ") == "WEEKLY":
        if any(len(d) != 2 or d not in DAY_CODES for d in days):
            return text
        names = _and([_weekday(d) for d in days or [DAY_CODES[starts_on.weekday()]]])
        if interval == 1:
            return _("every %(weekday)s") % {"weekday": names}
        if interval == 2:
            return _("every other %(weekday)s") % {"weekday": names}
        return _("%(weekday)s every %(n)s weeks") % {"weekday": names, "n": interval}
    if parts.get("FREQ") == "MONTHLY" and interval == 1 and days:
        by_weekday: dict[str, list[int]] = {}
        for day in days:
            code, number = day[-2:], day[:-2]
            try:
                n = int(number)
            except ValueError:
                return text
            if code not in DAY_CODES or not (1 <= n <= 5 or n == -1):
                return text
            by_weekday.setdefault(code, []).append(n)
        # Swedish says "2:a tisdagen i månaden": the weekday in its definite form.
        definite = "en" if (get_language() or "")[:2] == "sv" else ""
        phrases = [
            f"{_and([_ordinal(n) for n in numbers])} {_weekday(code)}{definite}"
            for code, numbers in by_weekday.items()
        ]
        return _("%(days)s of the month") % {"days": _and(phrases)}
    return text


def first_dates(
    rule: str, starts_on: date, ends_on: date | None, count: int = 20
) -> Iterable[date]:
    """The rule's first `count` dates (for the preview before saving)."""
    parsed = parse(rule, starts_on)
    for moment in parsed.xafter(datetime.combine(starts_on, time()), count=count, inc=True):
        if ends_on is not None and moment.date() > ends_on:
            return
        yield moment.date()
