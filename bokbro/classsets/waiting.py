"""What a teacher does about copies that are short or a loan that is too short: join the queue
(classsets/queue.py makes the offers), leave it, and renew a booking.

A renewal moves the return date later, by at most the agency's usual loan length, when the
copies are free for the extra days and no one is queued for the title in those days: the queue
goes first. It is decided under the title's row lock, as a booking is."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.classsets import queue, selectors
from bokbro.classsets.models import (
    Booking,
    BookingStatus,
    QueueEntry,
    QueueStatus,
    Title,
)
from bokbro.classsets.services import BookingRequest, booking_cancel, validate_request
from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.directory.models import Agency


def queue_join(
    *, agency: Agency, request: BookingRequest, now: datetime | None = None
) -> QueueEntry:
    """A place in the title's queue for the request (checked as a booking is). If the copies
    are free after all, the offer comes at once."""
    now = now or timezone.now()
    validate_request(
        agency, request, owned=request.title.copies_owned(), today=timezone.localdate(now)
    )
    with transaction.atomic():
        title = Title.objects.select_for_update().get(pk=request.title.pk)
        entry = QueueEntry.objects.create(
            agency=agency,
            title=title,
            copies=request.copies,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            school=request.school,
            class_name=request.class_name,
            contact_name=request.contact_name,
            contact_email=request.contact_email,
            delivery_library=request.delivery_library,
        )
        audit_log(
            action="classsets.queue.joined",
            agency=agency,
            target=title,
            data={"copies": entry.copies},
        )
        transaction.on_commit(lambda: _send_joined(entry.pk))
        queue.offer_freed(title, now=now)
    entry.refresh_from_db()
    return entry


def _send_joined(pk: int) -> None:
    entry = QueueEntry.objects.select_related("title", "agency").get(pk=pk)
    if entry.status != QueueStatus.WAITING:
        return  # the offer's mail says all
    send_email(
        to=entry.contact_email,
        template="classsets/queue_joined",
        context={"entry": entry, "title": entry.title},
        agency=entry.agency,
    )


def queue_leave(*, entry: QueueEntry) -> QueueEntry:
    """Leave the queue; an offer not yet accepted is given back and passes on."""
    with transaction.atomic():
        Title.objects.select_for_update().get(pk=entry.title_id)
        entry = QueueEntry.objects.select_related("booking").get(pk=entry.pk)
        if entry.status not in (QueueStatus.WAITING, QueueStatus.OFFERED):
            raise ValidationError(_("You are no longer in the queue."))
        offered = entry.booking if entry.status == QueueStatus.OFFERED else None
        QueueEntry.objects.filter(pk=entry.pk).update(status=QueueStatus.LEFT)
        if offered is not None and offered.status == BookingStatus.HELD:
            booking_cancel(booking=offered)
        audit_log(action="classsets.queue.left", agency=entry.agency, target=entry.title)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def booking_renew(*, booking: Booking, ends_on: date) -> Booking:
    Title.objects.select_for_update().get(pk=booking.title_id)
    booking = Booking.objects.select_related("title", "agency").get(pk=booking.pk)
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.OUT):
        raise ValidationError(_("Only a confirmed booking can be renewed."))
    if ends_on <= booking.ends_on:
        raise ValidationError({"ends_on": _("Choose a return date after the present one.")})
    limit = selectors.renewal_limit(booking)
    if ends_on > limit:
        raise ValidationError(
            {
                "ends_on": _("You can renew until %(date)s at the latest.")
                % {"date": limit.strftime("%d.%m.%Y")}
            }
        )
    closed = selectors.in_holiday(ends_on, selectors.holidays(booking.agency, ends_on, ends_on))
    if closed is not None:
        raise ValidationError(
            {"ends_on": _("%(holiday)s: nothing is returned then.") % {"holiday": closed.name}}
        )
    first_extra = booking.ends_on + timedelta(days=1)
    queued = QueueEntry.objects.filter(
        Q(status=QueueStatus.WAITING),
        title=booking.title,
        starts_on__lte=ends_on,
        ends_on__gte=first_extra,
    )
    if queued.exists():
        raise ValidationError(
            _("Others are waiting for this title in those weeks, so the loan cannot be renewed.")
        )
    owned = booking.title.copies_owned()
    free = selectors.copies_free(booking.title, owned, first_extra, ends_on)
    if free < booking.copies:
        raise ValidationError(
            ngettext(
                "Only %(free)s copy is free in the extra days, so the loan cannot be renewed.",
                "Only %(free)s copies are free in the extra days, so the loan cannot be renewed.",
                free,
            )
            % {"free": free}
        )
    before = booking.ends_on
    booking.ends_on = ends_on
    booking.save(update_fields=["ends_on"])
    audit_log(
        action="classsets.booking.renewed",
        agency=booking.agency,
        target=booking,
        data={"from": before.isoformat(), "to": ends_on.isoformat()},
    )
    return booking
