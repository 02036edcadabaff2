"""The queue: teachers who asked for copies that were short wait for them, and when copies come
back (a cancellation, an unconfirmed booking released, a set returned early or a new or larger
set) they are offered in the order the teachers joined.

An offer is a booking held for the teacher for the agency's `offer_days`: the copies are kept
from everyone else, and the teacher accepts by confirming it from the link in the mail. Not
accepted in time, the booking is released like any unconfirmed one, its copies come back, and
the offer passes on to the next in the queue. The first in the queue *for whom the copies that
came back suffice* gets them: a teacher waiting for 30 does not keep one waiting for 5 from the
5 that are free.

Every function here runs under the title's row lock, taken by the service that freed the
copies, so an offer counts the copies as a booking does (docs/classsets.md, "The rule")."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from bokbro.classsets import refusals, selectors
from bokbro.classsets.models import Booking, QueueEntry, QueueStatus, Settings, Title
from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email


def offer_freed(title: Title, *, now: datetime | None = None) -> list[QueueEntry]:
    """Offer the copies now free to the title's queue, in order (under the title's lock)."""
    now = now or timezone.now()
    waiting = list(
        QueueEntry.objects.waiting()
        .filter(title=title, starts_on__gte=timezone.localdate(now))
        .select_related("agency")
        .order_by("created_at", "pk")
    )
    if not waiting:
        return []
    owned = title.copies_owned()
    days = Settings.of(waiting[0].agency).offer_days
    offered = []
    for entry in waiting:
        if selectors.copies_free(title, owned, entry.starts_on, entry.ends_on) < entry.copies:
            continue
        entry.booking = Booking.objects.create(
            agency=entry.agency,
            title=title,
            copies=entry.copies,
            starts_on=entry.starts_on,
            ends_on=entry.ends_on,
            school=entry.school,
            class_name=entry.class_name,
            contact_name=entry.contact_name,
            contact_email=entry.contact_email,
            delivery_library=entry.delivery_library,
            held_until=now + timedelta(days=days),
        )
        entry.status = QueueStatus.OFFERED
        entry.save(update_fields=["booking", "status"])
        audit_log(
            action="classsets.queue.offered",
            agency=entry.agency,
            target=entry.booking,
            data={"copies": entry.copies},
        )
        transaction.on_commit(partial(_send_offer, entry.pk))
        offered.append(entry)
    return offered


def _send_offer(pk: int) -> None:
    entry = QueueEntry.objects.select_related("booking", "title", "agency").get(pk=pk)
    send_email(
        to=entry.contact_email,
        template="classsets/queue_offer",
        context={"entry": entry, "booking": entry.booking, "title": entry.title},
        agency=entry.agency,
    )


def booking_accepted(booking: Booking) -> None:
    """A confirmed booking that was an offer: the teacher's place in the queue is done."""
    QueueEntry.objects.filter(booking=booking, status=QueueStatus.OFFERED).update(
        status=QueueStatus.ACCEPTED
    )


def booking_gave_back(booking: Booking) -> None:
    """A booking cancelled or released: if it was an offer, it passes on; then the copies go to
    the queue (under the title's lock). Refusals recalled in this process are forgotten
    (classsets/refusals.py)."""
    refusals.forget()
    QueueEntry.objects.filter(booking=booking, status=QueueStatus.OFFERED).update(
        status=QueueStatus.EXPIRED
    )
    offer_freed(booking.title)


def expire_passed(*, now: datetime | None = None) -> int:
    """Places in the queue whose delivery day has passed without an offer. Idempotent."""
    today = timezone.localdate(now or timezone.now())
    return (
        QueueEntry.objects.waiting().filter(starts_on__lt=today).update(status=QueueStatus.EXPIRED)
    )
