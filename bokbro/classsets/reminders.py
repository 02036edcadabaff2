"""Reminders to the teacher, sent by the module's periodic job (`bokbro periodic`):

- **a week before delivery** (`REMIND_DAYS`), for a confirmed booking made more than a week
  ahead (one made in the last week has just had its confirmation with the same dates);
- **before return**, `REMIND_DAYS` before the return date, for copies out at the school;
- **overdue**, the day after the return date, for copies still out.

Each mail carries the dates, the return instructions (where, by when, the replacement price
per copy) and the booking as a calendar file: delivery and return as all-day entries whose
UIDs stay the same, so a calendar updates the entries a mail before added.

Each is sent once per booking: a conditional UPDATE of the booking's `*_reminded_at` claims
it (two workers, or the job run twice, never send it twice), and the mail is queued in the
same transaction (`core.periodic.each`).

The titles of one basket (booked together: the same teacher, school, dates and library) that
are due the same day get one mail listing them, with one calendar file holding each title's
days; a title whose dates changed since (renewed, say) gets its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar

from bokbro.classsets.models import Booking, BookingQuerySet, BookingStatus, Settings
from bokbro.core import ics
from bokbro.core.emails import send_email
from bokbro.core.periodic import each

REMIND_DAYS = 7


def booking_calendar(booking: Booking) -> bytes:
    """The booking's delivery and return days as a calendar file, in the agency's language."""
    return bookings_calendar([booking])


def bookings_calendar(bookings: list[Booking]) -> bytes:
    """The delivery and return days of one or more bookings (a basket's) in one calendar file,
    in the agency's language; each entry's UID is its booking's, as in a single booking's."""
    first = bookings[0]
    with translation.override(first.agency.language):
        name = (
            _("Class set: %(title)s") % {"title": first.title.title}
            if len(bookings) == 1
            else _("Class sets for %(school)s, %(class)s")
            % {"school": first.school.name, "class": first.class_name}
        )
        cal = ics.calendar(name)
        for booking in bookings:
            _add_booking(cal, booking)
    return ics.to_bytes(cal)


def _add_booking(cal: Calendar, booking: Booking) -> None:
    url = booking.agency.absolute(booking.get_absolute_url())
    library = booking.delivery_library
    location = ", ".join(
        p for p in [library.name, library.street_address, library.postcode, library.city] if p
    )
    copies = booking.copies_out or booking.copies
    details = ngettext(
        "%(copies)s copy of “%(title)s” for %(school)s, %(class)s.",
        "%(copies)s copies of “%(title)s” for %(school)s, %(class)s.",
        copies,
    ) % {
        "copies": copies,
        "title": booking.title.title,
        "school": booking.school.name,
        "class": booking.class_name,
    }
    for which, title, day in (
        ("delivery", _("Class set arrives: %(title)s"), booking.starts_on),
        ("return", _("Return the class set: %(title)s"), booking.ends_on),
    ):
        ics.add_day(
            cal,
            uid=f"classset-booking-{booking.pk}-{which}",
            title=title % {"title": booking.title.title},
            day=day,
            description=details,
            location=location,
            url=url,
        )


def bookings_mail(bookings: list[Booking], template: str) -> None:
    """One reminder about several bookings of one basket (`basket_<template>`), with one
    calendar file; one booking gets the booking's own mail."""
    if len(bookings) == 1:
        booking_mail(bookings[0], template)
        return
    first = bookings[0]
    rules = Settings.of(first.agency)
    send_email(
        to=first.contact_email,
        template=f"classsets/basket_{template.removeprefix('booking_')}",
        context={
            "bookings": bookings,
            "first": first,
            "basket": first.basket,
            "library": first.delivery_library,
            "price": rules.replacement_price,
            "currency": first.agency.currency,
        },
        agency=first.agency,
        attachments=[("class-sets.ics", bookings_calendar(bookings), "text/calendar")],
        on_commit=False,
    )


def booking_mail(booking: Booking, template: str, *, calendar: bool = True) -> None:
    """A mail about the booking to the teacher, with its calendar file; queued at once (the
    periodic job claims a reminder and queues its mail in one transaction)."""
    rules = Settings.of(booking.agency)
    send_email(
        to=booking.contact_email,
        template=f"classsets/{template}",
        context={
            "booking": booking,
            "title": booking.title,
            "library": booking.delivery_library,
            "copies": booking.copies_out or booking.copies,
            "price": rules.replacement_price,
            "currency": booking.agency.currency,
        },
        agency=booking.agency,
        attachments=[("class-set.ics", booking_calendar(booking), "text/calendar")]
        if calendar
        else [],
        on_commit=False,
    )


def _due(today: date) -> dict[str, tuple[QuerySet[Booking], Callable[[Booking], bool]]]:
    """Per reminder: the bookings that may be due (one query each) and the rule for one."""
    bookings = (
        Booking.objects.for_list().select_related("agency", "basket").filter(anonymised=False)
    )
    soon = today + timedelta(days=REMIND_DAYS)
    return {
        "delivery": (
            bookings.filter(
                status__in=(BookingStatus.CONFIRMED, BookingStatus.OUT),
                delivery_reminded_at__isnull=True,
                starts_on__gt=today,
                starts_on__lte=soon,
            ),
            lambda b: timezone.localdate(b.created_at) < b.starts_on - timedelta(REMIND_DAYS),
        ),
        "return": (
            bookings.filter(
                status=BookingStatus.OUT,
                return_reminded_at__isnull=True,
                ends_on__gte=today,
                ends_on__lte=soon,
            ),
            lambda b: True,
        ),
        "overdue": (
            bookings.filter(
                status=BookingStatus.OUT, overdue_mailed_at__isnull=True, ends_on__lt=today
            ),
            lambda b: True,
        ),
    }


FIELDS = {
    "delivery": ("delivery_reminded_at", "booking_reminder_delivery"),
    "return": ("return_reminded_at", "booking_reminder_return"),
    "overdue": ("overdue_mailed_at", "booking_overdue"),
}


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send the reminders that are due, each once per booking. Idempotent."""
    now = now or timezone.now()
    return {
        kind: _send_once(kind, [b for b in candidates if rule(b)], now)
        for kind, (candidates, rule) in _due(timezone.localdate(now)).items()
    }


def _together(bookings: list[Booking]) -> list[list[Booking]]:
    """The bookings in groups of one mail: a basket's titles with the same address, dates and
    library together, every other booking alone; in the order given."""
    groups: dict[object, list[Booking]] = {}
    for b in bookings:
        key = (
            (b.basket_id, b.contact_email, b.starts_on, b.ends_on, b.delivery_library_id)
            if b.basket_id
            else b.pk
        )
        groups.setdefault(key, []).append(b)
    return [sorted(group, key=lambda b: (b.title.title, b.pk)) for group in groups.values()]


def _send_once(kind: str, bookings: list[Booking], now: datetime) -> int:
    """Mails sent: one per booking or per basket's group."""
    field, template = FIELDS[kind]
    sent: list[int] = []

    def remind(group: list[Booking]) -> None:
        # Each booking claimed with a conditional UPDATE: two workers, or two runs, never both
        # send; a booking another worker claimed first is left out of this mail.
        claimed = [
            b
            for b in group
            if Booking.objects.filter(
                pk=b.pk, status=b.status, **{f"{field}__isnull": True}
            ).update(**{field: now})
        ]
        if claimed:
            bookings_mail(claimed, template)
            sent.append(claimed[0].pk)

    each(f"classsets: {kind} reminders", _together(bookings), remind)
    return len(sent)


def overdue(bookings: BookingQuerySet, today: date) -> BookingQuerySet:
    """Copies still out at the school after the return date."""
    return bookings.filter(status=BookingStatus.OUT, ends_on__lt=today)
