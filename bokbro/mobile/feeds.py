"""iCalendar feeds of the mobile library: one VEVENT per visit pattern, with its RRULE and an
EXDATE for each date it does not happen (cancellations, public holidays and, for schools and
kindergartens, the school holidays), so Outlook, Google and Apple calendars repeat it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from bokbro.core import ics
from bokbro.directory.models import Agency
from bokbro.mobile import recurrence
from bokbro.mobile.models import SCHOOL_KINDS, ExtraVisit, Visit
from bokbro.mobile.selectors import pause_kinds, school_holidays

# Holidays are written as EXDATEs this far ahead of today.
EXDATE_HORIZON = timedelta(days=2 * 366)


def visit_event(
    visit: Visit,
    agency: Agency,
    holidays: list[tuple[date, date]],
    kinds: frozenset[str] = SCHOOL_KINDS,
) -> Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    stop = visit.stop
    event = Event()
    event.add("uid", f"mobile-visit-{visit.pk}@{ics._host(agency.base_url)}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(visit.starts_on, visit.arrival, tzinfo=zone))
    event.add("dtend", datetime.combine(visit.starts_on, visit.departure, tzinfo=zone))
    rule = visit.rule
    if visit.ends_on and "UNTIL" not in rule and "COUNT" not in rule:
        rule += f";UNTIL={visit.ends_on:%Y%m%d}T235959"
    event.add("rrule", vRecur.from_ical(rule))
    event.add("summary", f"{visit.route.vehicle.name}: {stop}")
    event.add("location", ", ".join(p for p in [stop.name, stop.address] if p))
    if stop.latitude is not None and stop.longitude is not None:
        event.add("geo", (float(stop.latitude), float(stop.longitude)))
    event.add("url", agency.absolute(stop.get_absolute_url()))
    last = visit.ends_on or (timezone.localdate() + EXDATE_HORIZON)
    dates = recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, visit.starts_on, last)
    off = recurrence.public_holidays(agency.country, visit.starts_on, last)
    cancelled = {c.date for c in visit.cancellations.all()}
    periods = holidays if stop.kind in kinds else []
    skipped = [d for d in dates if d in off or d in cancelled or recurrence.in_periods(d, periods)]
    if skipped:
        event.add("exdate", [datetime.combine(d, visit.arrival, tzinfo=zone) for d in skipped])
    return event


def extra_event(extra: ExtraVisit, agency: Agency) -> Event:
    """A one-off visit: one VEVENT without a rule."""
    zone = ZoneInfo(settings.TIME_ZONE)
    stop = extra.stop
    event = Event()
    event.add("uid", f"mobile-extra-{extra.pk}@{ics._host(agency.base_url)}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(extra.date, extra.arrival, tzinfo=zone))
    event.add("dtend", datetime.combine(extra.date, extra.departure, tzinfo=zone))
    event.add("summary", f"{extra.route.vehicle.name}: {stop}")
    event.add("location", ", ".join(p for p in [stop.name, stop.address] if p))
    if extra.reason:
        event.add("description", extra.reason)
    if stop.latitude is not None and stop.longitude is not None:
        event.add("geo", (float(stop.latitude), float(stop.longitude)))
    event.add("url", agency.absolute(stop.get_absolute_url()))
    return event


def calendar_response(
    name: str,
    agency: Agency,
    visits: Iterable[Visit],
    filename: str,
    extras: Iterable[ExtraVisit] = (),
) -> HttpResponse:
    cal: Calendar = ics.calendar(name)
    holidays = school_holidays(agency)
    kinds = pause_kinds(agency)
    for visit in visits:
        cal.add_component(visit_event(visit, agency, holidays, kinds))
    for extra in extras:
        cal.add_component(extra_event(extra, agency))
    cal.add_missing_timezones()
    response = HttpResponse(ics.to_bytes(cal), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
