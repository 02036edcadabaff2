"""The class sets' outbox: the mail that tells a teacher their copies are held (with the link to
confirm) is not rendered in the request that holds them. The booking row is the outbox
(`Booking.notice`, written by the batch that inserts it, classsets/hold_sql.py), and one
`send_notices` task per title and short window sends every pending mail of the title. The
title's `notices_queued`, set by the same batch under the title's lock, says that task is
already queued, so a storm of bookings for one title queues a handful of tasks, not one per
booking, and each booking's request does neither the rendering nor the queueing (the events'
registrations do the same: bokbro/events/services/notices.py; docs/concurrency.md).

Each pending mail is sent exactly once: `send(title_id)` claims a batch of rows (`FOR UPDATE SKIP
LOCKED`: a second run at the same time takes other rows or none), queues each mail for delivery
inside the transaction that empties the rows' `notice`, and both commit together; a run killed
half-way commits nothing, and its rows are pending again for the next run or for
`send_pending()`, the safety net of `bokbro periodic`. A later mail about the same booking
(its confirmation) first sends the pending one (`flush`), so the teacher's mails arrive in the
order things happened.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from bokbro.classsets import reminders
from bokbro.classsets.models import Booking, Title

BATCH = 100


def _send_one(booking: Booking, template: str) -> None:
    # A held booking is not decided yet: no calendar file until it is confirmed.
    reminders.booking_mail(booking, template, calendar=template != "booking_held")


def send(title_id: int) -> int:
    """Send the title's pending mails, each exactly once (module docstring); how many."""
    # First, so that a booking committed after this point queues a new task.
    Title.objects.filter(pk=title_id, notices_queued=True).update(notices_queued=False)
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Booking.objects.for_list()
                .select_related("agency")
                .select_for_update(skip_locked=True, of=("self",))
                .filter(title_id=title_id)
                .exclude(notice="")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            for booking in batch:
                _send_one(booking, booking.notice)
            Booking.objects.filter(pk__in=[b.pk for b in batch]).update(notice="")
        sent += len(batch)


def flush(booking: Booking) -> None:
    """Before another mail about `booking`: queue its pending mail now, in the caller's
    transaction, and take it out of the outbox. The caller holds the booking's row lock
    (`services._locked`), so a sending run cannot send the same mail at the same time."""
    if booking.notice:
        _send_one(booking, booking.notice)
        Booking.objects.filter(pk=booking.pk).update(notice="")
        booking.notice = ""


def send_pending() -> int:
    """The safety net (`bokbro periodic`): send what a lost or crashed task left pending."""
    title_ids = Title.objects.filter(
        Q(notices_queued=True) | Q(pk__in=Booking.objects.exclude(notice="").values("title_id"))
    ).values_list("pk", flat=True)
    return sum(send(pk) for pk in list(title_ids))
