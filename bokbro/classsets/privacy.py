"""A teacher's name and address on class-set bookings: removed when the booking has served its
purpose (periodic work, `CLASSSETS_CONTACT_KEEP_DAYS` after the loan ended or the booking was
cancelled or released), exported with the person's account and erased when they delete it (the
contract's `personal_data`, classsets/personal.py).

Anonymising keeps what the reports count (title, copies, window, school, class, status) and
removes who booked: name, address and the personal link's token, which is replaced so an old
link no longer opens the booking. A booking whose copies are still out at the school keeps its
contact until they come back: staff need to know whom to ask for them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bokbro.classsets.models import Booking, BookingStatus, QueueEntry, QueueStatus, new_token
from bokbro.classsets.services import booking_cancel
from bokbro.classsets.waiting import queue_leave
from bokbro.core.periodic import each

NEVER_LENT = (BookingStatus.CANCELLED, BookingStatus.RELEASED)


def anonymisable(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """Those not anonymised yet and not out at a school."""
    return bookings.filter(anonymised=False).exclude(status=BookingStatus.OUT)


def booking_anonymise(booking: Booking) -> None:
    booking.contact_name = ""
    booking.contact_email = f"anonymised-{booking.pk}@invalid"
    booking.token = new_token()
    booking.anonymised = True
    booking.save(update_fields=["contact_name", "contact_email", "token", "anonymised"])


def bookings_anonymise(bookings: QuerySet[Booking]) -> int:
    """The periodic work: each booking in its own transaction (core.periodic.each)."""
    return each("classsets: anonymise bookings", anonymisable(bookings), booking_anonymise)


def served_their_purpose(now: datetime | None = None) -> QuerySet[Booking]:
    """Bookings whose loan ended, or that were cancelled or released, longer ago than the
    setting. Cancelled and released ones are counted from when they were made (the booking
    keeps no date of its cancellation), which is never later than their end."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CLASSSETS_CONTACT_KEEP_DAYS)
    return Booking.objects.filter(
        Q(status=BookingStatus.RETURNED, ends_on__lt=cutoff.date())
        | Q(status__in=NEVER_LENT, created_at__lt=cutoff),
        anonymised=False,
    )


QUEUE_DONE = (QueueStatus.ACCEPTED, QueueStatus.EXPIRED, QueueStatus.LEFT)


def queue_entry_anonymise(entry: QueueEntry) -> None:
    entry.contact_name = ""
    entry.contact_email = f"anonymised-q{entry.pk}@invalid"
    entry.token = new_token()
    entry.anonymised = True
    entry.save(update_fields=["contact_name", "contact_email", "token", "anonymised"])


def queue_anonymise(now: datetime | None = None) -> int:
    """Places in the queue that ended (accepted: the booking keeps the contact) longer ago than
    the setting, counted from their window's end or from when they were made, the later."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CLASSSETS_CONTACT_KEEP_DAYS)
    done = QueueEntry.objects.filter(
        status__in=QUEUE_DONE, anonymised=False, created_at__lt=cutoff, ends_on__lt=cutoff.date()
    )
    return each("classsets: anonymise the queue", done, queue_entry_anonymise)


def _queue_of_person(addresses: list[str]) -> QuerySet[QueueEntry]:
    named = Q(pk__in=[])
    for address in addresses:
        named |= Q(contact_email__iexact=address)
    return QueueEntry.objects.filter(named, anonymised=False)


def _of_person(addresses: list[str]) -> QuerySet[Booking]:
    """Bookings made with one of the addresses, whatever their case."""
    named = Q(pk__in=[])
    for address in addresses:
        named |= Q(contact_email__iexact=address)
    return Booking.objects.filter(named, anonymised=False)


def person_export(addresses: list[str]) -> list[dict[str, Any]]:
    """The person's class-set bookings, as their data export shows them."""
    if not addresses:
        return []
    return [
        {
            "title": booking.title.title,
            "copies": booking.copies,
            "delivered_by": booking.starts_on.isoformat(),
            "returned_by": booking.ends_on.isoformat(),
            "school": booking.school.name,
            "class": booking.class_name,
            "status": booking.status,
            "name": booking.contact_name,
            "email": booking.contact_email,
            "booked_at": booking.created_at.isoformat(),
        }
        for booking in _of_person(addresses)
        .select_related("title", "school")
        .order_by("starts_on", "pk")
    ] + [
        {
            "title": entry.title.title,
            "copies": entry.copies,
            "delivered_by": entry.starts_on.isoformat(),
            "returned_by": entry.ends_on.isoformat(),
            "school": entry.school.name,
            "class": entry.class_name,
            "status": f"queue: {entry.status}",
            "name": entry.contact_name,
            "email": entry.contact_email,
            "booked_at": entry.created_at.isoformat(),
        }
        for entry in _queue_of_person(addresses)
        .select_related("title", "school")
        .order_by("starts_on", "pk")
    ]


def person_erase(addresses: list[str]) -> int:
    """Cancel the person's bookings that have not been sent yet (the copies are free again) and
    anonymise them all but those out at a school; returns how many were anonymised."""
    if not addresses:
        return 0
    for entry in _queue_of_person(addresses).filter(
        status__in=(QueueStatus.WAITING, QueueStatus.OFFERED)
    ):
        queue_leave(entry=entry)
    with transaction.atomic():
        for entry in _queue_of_person(addresses):
            queue_entry_anonymise(entry)
    for booking in _of_person(addresses).filter(
        status__in=(BookingStatus.HELD, BookingStatus.CONFIRMED)
    ):
        booking_cancel(booking=booking)
    with transaction.atomic():
        rows = list(anonymisable(_of_person(addresses)))
        for booking in rows:
            booking_anonymise(booking)
    return len(rows)
