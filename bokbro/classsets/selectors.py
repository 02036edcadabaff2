"""Reads the catalogue page, the booking rule, the API and the staff lists share: copies booked
per day, copies free per week, and the dispatch list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bokbro.classsets.models import (
    Booking,
    CourierRoute,
    HolidayPeriod,
    RouteLibrary,
    Settings,
    Title,
    monday,
)
from bokbro.directory.models import Agency

DAY = timedelta(days=1)


def booked_per_day(
    windows: Iterable[tuple[date, date, int]], starts_on: date, ends_on: date
) -> list[int]:
    """Copies booked on each day from `starts_on` to `ends_on` (inclusive), from the
    (first day, last day, copies) of the bookings that hold copies."""
    length = (ends_on - starts_on).days + 1
    change = [0] * (length + 1)
    for first, last, copies in windows:
        lo = max((first - starts_on).days, 0)
        hi = min((last - starts_on).days, length - 1)
        if lo <= hi:
            change[lo] += copies
            change[hi + 1] -= copies
    booked, running = [], 0
    for step in change[:length]:
        running += step
        booked.append(running)
    return booked


def holding_windows(
    title: Title | int, starts_on: date, ends_on: date
) -> list[tuple[date, date, int]]:
    return list(
        Booking.objects.filter(title=title)
        .holding()
        .overlapping(starts_on, ends_on)
        .values_list("starts_on", "ends_on", "copies")
    )


def copies_free(title: Title, owned: int, starts_on: date, ends_on: date) -> int:
    """The copies free on every day of the window."""
    booked = booked_per_day(holding_windows(title, starts_on, ends_on), starts_on, ends_on)
    return max(owned - max(booked, default=0), 0)


def holidays(agency: Agency, starts_on: date, ends_on: date) -> list[HolidayPeriod]:
    return list(
        HolidayPeriod.objects.filter(agency=agency, starts_on__lte=ends_on, ends_on__gte=starts_on)
    )


def in_holiday(day: date, periods: Iterable[HolidayPeriod]) -> HolidayPeriod | None:
    return next((p for p in periods if p.starts_on <= day <= p.ends_on), None)


@dataclass(frozen=True)
class Week:
    monday: date
    sunday: date
    number: int
    free: int
    owned: int
    holiday: str

    @property
    def state(self) -> str:
        if self.holiday:
            return "closed"
        if self.free == 0:
            return "none"
        return "all" if self.free == self.owned else "some"


def availability_by_week(title: Title, owned: int, first: date, weeks: int) -> list[Week]:
    """The copies free in each of `weeks` weeks from the week of `first`: the fewest free on any
    day of the week. Two queries whatever the number of bookings."""
    start = monday(first)
    end = start + timedelta(weeks=weeks) - DAY
    booked = booked_per_day(holding_windows(title, start, end), start, end)
    periods = holidays(title.agency, start, end)
    rows = []
    for i in range(weeks):
        day = start + timedelta(weeks=i)
        week_booked = max(booked[i * 7 : i * 7 + 7])
        closed = next(
            (p.name for p in periods if p.starts_on <= day and p.ends_on >= day + 6 * DAY), ""
        )
        rows.append(
            Week(
                monday=day,
                sunday=day + 6 * DAY,
                number=day.isocalendar()[1],
                free=max(owned - week_booked, 0),
                owned=owned,
                holiday=closed,
            )
        )
    return rows


def dispatch_list(bookings: Iterable[Booking], week_monday: date) -> list[Booking]:
    """The bookings to be delivered in the week (by library, then school)."""
    sunday = week_monday + 6 * DAY
    return sorted(
        (b for b in bookings if week_monday <= b.starts_on <= sunday),
        key=lambda b: (b.delivery_library.name, b.school.name, b.pk),
    )


@dataclass
class RouteGroup:
    route: CourierRoute | None
    bookings: list[Booking]


def by_route(agency: Agency, bookings: Iterable[Booking]) -> list[RouteGroup]:
    """The bookings grouped by the courier route of their delivery library (routes by name,
    libraries without a route last), each group by library, then school. One query."""
    routes = {
        stop.library_id: stop.route
        for stop in RouteLibrary.objects.filter(agency=agency).select_related("route")
    }
    groups: dict[int | None, RouteGroup] = {}
    for booking in bookings:
        route = routes.get(booking.delivery_library_id)
        booking.route = route  # type: ignore[attr-defined]
        key = route.pk if route else None
        groups.setdefault(key, RouteGroup(route, [])).bookings.append(booking)
    for group in groups.values():
        group.bookings.sort(key=lambda b: (b.delivery_library.name, b.school.name, b.pk))
    return sorted(groups.values(), key=lambda g: (g.route is None, g.route.name if g.route else ""))


def renewal_limit(booking: Booking) -> date:
    """The latest return date a renewal can ask for: the agency's usual loan length more."""
    return booking.ends_on + timedelta(weeks=Settings.of(booking.agency).default_weeks)
