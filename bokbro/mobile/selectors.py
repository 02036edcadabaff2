"""Reads the public pages, the feeds and the API share: a visit's concrete dates in a window,
with its cancellations, in a fixed number of queries for any number of visits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from bokbro.directory.models import Agency
from bokbro.mobile import recurrence
from bokbro.mobile.models import SCHOOL_KINDS, ExtraVisit, PauseKinds, SchoolHoliday, Stop, Visit

# How far ahead the public pages look.
HORIZON = timedelta(days=120)


@dataclass(frozen=True)
class Occurrence:
    day: date
    arrival: time
    departure: time
    cancelled: bool = False
    reason: str = ""


@dataclass
class Line:
    """One visit pattern of a timetable: the rule in words and its next dates."""

    visit: Visit
    words: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def upcoming(self) -> list[Occurrence]:
        return [o for o in self.occurrences if not o.cancelled]

    @property
    def cancellations(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.cancelled]


def today() -> date:
    """Today in the site's time zone (one place for the tests to move the clock)."""
    return timezone.localdate()


def school_holidays(agency: Agency) -> list[tuple[date, date]]:
    return list(SchoolHoliday.objects.filter(agency=agency).values_list("starts_on", "ends_on"))


def pause_kinds(agency: Agency) -> frozenset[str]:
    """The stop types whose visits stop in the school holidays, as the agency chose them."""
    return PauseKinds.of(agency)


def occurrences(
    visit: Visit,
    first: date,
    last: date,
    *,
    country: str,
    holidays: Sequence[tuple[date, date]],
    kinds: frozenset[str] = SCHOOL_KINDS,
) -> list[Occurrence]:
    """The visit's dates from `first` to `last`: those it happens and those cancelled one by
    one (with the reason); public holidays and, for schools and kindergartens, the school
    holidays are left out."""
    cancelled = {c.date: c.reason for c in visit.cancellations.all()}
    off = recurrence.public_holidays(country, first, last)
    periods = holidays if visit.stop.kind in kinds else ()
    return [
        Occurrence(day, visit.arrival, visit.departure, day in cancelled, cancelled.get(day, ""))
        for day in recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, first, last)
        if day not in off and not recurrence.in_periods(day, periods)
    ]


def timetable(
    agency: Agency, visits: Iterable[Visit], first: date, last: date, *, limit: int | None = None
) -> list[Line]:
    """One line per visit (read with `Visit.objects.for_timetable()`), its dates in the
    window, at most `limit` of them."""
    holidays = school_holidays(agency)
    kinds = pause_kinds(agency)
    lines = []
    for visit in visits:
        found = occurrences(
            visit, first, last, country=agency.country, holidays=holidays, kinds=kinds
        )
        lines.append(
            Line(
                visit=visit,
                words=recurrence.describe(visit.rule, visit.starts_on),
                occurrences=found[:limit] if limit else found,
            )
        )
    return lines


def visits_of(agency: Agency) -> QuerySet[Visit]:
    """The visits the public sees today: a draft term's only from its publication day."""
    return Visit.objects.filter(agency=agency).public(today()).for_timetable()


def stops_of(agency: Agency) -> QuerySet[Stop]:
    return Stop.objects.filter(agency=agency).select_related("municipality")


def extras_of(agency: Agency, first: date, last: date) -> QuerySet[ExtraVisit]:
    """The agency's extra visits from `first` to `last`, by date and time."""
    return ExtraVisit.objects.filter(agency=agency, date__gte=first, date__lte=last).for_timetable()


@dataclass
class StopTimetable:
    stop: Stop
    lines: list[Line]
    extras: list[ExtraVisit] = field(default_factory=list)


def by_stop(lines: Iterable[Line], extras: Iterable[ExtraVisit] = ()) -> list[StopTimetable]:
    grouped: dict[int, StopTimetable] = {}
    for line in lines:
        entry = grouped.setdefault(line.visit.stop_id, StopTimetable(line.visit.stop, []))
        entry.lines.append(line)
    for extra in extras:
        grouped.setdefault(extra.stop_id, StopTimetable(extra.stop, [])).extras.append(extra)
    return sorted(grouped.values(), key=lambda s: (s.stop.community, s.stop.name, s.stop.pk))
