"""iCalendar (RFC 5545) files and feeds, built with the `icalendar` library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent


def _host(url: str = "") -> str:
    """The host part of the UID: the host of the entry's own page (the agency's site)."""
    root = url or settings.SITE_ROOT
    return root.split("://", 1)[-1].split("/", 1)[0].split(":")[0] or "bokbro"


def calendar(name: str, *, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Bokbro//bokbro//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    return cal


def add_event(
    cal: Calendar,
    *,
    uid: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    location: str = "",
    url: str = "",
    cancelled: bool = False,
    sequence: int = 0,
    updated_at: datetime | None = None,
) -> None:
    vevent = VEvent()
    vevent.add("uid", f"{uid}@{_host(url)}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", starts_at)
    vevent.add("dtend", ends_at)
    vevent.add("summary", title)
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    if updated_at:
        vevent.add("last-modified", updated_at)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(vevent)


def to_bytes(cal: Calendar) -> bytes:
    return cal.to_ical()


def event_sessions(
    cal: Calendar,
    event: Any,
    *,
    include_online_url: bool = False,
    cancelled: bool | None = None,
    sessions: Iterable[Any] | None = None,
) -> None:
    """One VEVENT per session of a Bokbro event (or of `sessions`: a participant's own);
    `cancelled` overrides the event's own status (a participant's cancelled place removes the
    event from their calendar)."""
    url = event.agency.absolute(event.get_absolute_url())
    location = ", ".join(p for p in [event.venue, event.venue_address] if p)
    description = event.summary or ""
    if include_online_url and event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    for session in event.sessions.all() if sessions is None else sessions:
        add_event(
            cal,
            uid=f"event-{event.pk}-session-{session.pk}",
            title=f"{event.title}: {session.title}" if session.title else event.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            description=description,
            location=session.venue or location,
            url=url,
            cancelled=event.is_cancelled if cancelled is None else cancelled,
            sequence=1 if (cancelled or event.is_cancelled) else 0,
            updated_at=event.updated_at,
        )


def add_day(
    cal: Calendar,
    *,
    uid: str,
    title: str,
    day: date,
    description: str = "",
    location: str = "",
    url: str = "",
) -> None:
    """An all-day entry (a date, not a time: a class set's delivery or return day)."""
    vevent = VEvent()
    vevent.add("uid", f"{uid}@{_host(url)}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", day)
    vevent.add("dtend", day + timedelta(days=1))
    vevent.add("summary", title)
    vevent.add("transp", "TRANSPARENT")
    if description:
        vevent.add("description", description)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    cal.add_component(vevent)
