"""The writes after an event has run (STYLE.md §2): attendance per session, certificates for
those who attended enough sessions, and the evaluation link.

Certificates and the evaluation are claimed under the event's row lock (certificates) or by a
conditional UPDATE (the evaluation), so a double click or two consultants at once send nothing
twice. E-mails are tasks enqueued after commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.models import (
    Attendance,
    Certificate,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.events.selectors import one_per_person
from bokbro.events.tasks import send_certificate, send_evaluation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FollowUpError(Exception):
    """A rule said no; `message` is shown to staff in their language."""

    def __init__(self, message: StrOrPromise):
        super().__init__(str(message))
        self.message = message


def attendance_mark(
    *,
    actor: Actor,
    agency: Agency,
    registration: Registration,
    session: Session,
    present: bool,
) -> Attendance:
    """Mark one confirmed participant present at (or absent from) one session."""
    if session.event_id != registration.event_id:
        raise FollowUpError(_("The session belongs to another event."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise FollowUpError(_("Only confirmed participants can be marked present or absent."))
    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            registration=registration,
            session=session,
            defaults={"present": present, "marked_by": actor},
        )
        if not created and attendance.present == present:
            return attendance
        if not created:
            attendance.present = present
            attendance.marked_by = actor
            attendance.marked_at = timezone.now()
            attendance.save(update_fields=["present", "marked_by", "marked_at"])
        audit_log(
            action="events.attendance.marked",
            actor=actor,
            agency=agency,
            target=session.event,
            data={
                "registration_id": registration.pk,
                "session_id": session.pk,
                "present": present,
            },
        )
    return attendance


def attended_counts(event: Event) -> dict[int, int]:
    """Sessions each confirmed registration was marked present at, by registration id."""
    rows = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised=False)
        .annotate(attended=Count("attendances", filter=Q(attendances__present=True)))
        .values_list("pk", "attended")
    )
    return dict(rows)


def certificates_issue(*, actor: Actor, agency: Agency, event: Event) -> list[Certificate]:
    """A certificate for every confirmed participant who attended at least the event's minimum
    of sessions and has none yet; each is told by e-mail. Returns the new certificates."""
    if event.certificate_min_sessions is None:
        raise FollowUpError(_("This event gives no certificates."))
    if event.status == EventStatus.CANCELLED:
        raise FollowUpError(_("The event is cancelled."))
    if event.ends_at > timezone.now():
        raise FollowUpError(_("Certificates can be issued when the event has ended."))
    with transaction.atomic():
        # The event's row lock: two consultants issuing at once make one certificate each.
        Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
        minimum = event.certificate_min_sessions
        having = set(
            Certificate.objects.filter(registration__event=event).values_list(
                "registration_id", flat=True
            )
        )
        new = [
            Certificate(registration_id=pk, sessions_attended=attended)
            for pk, attended in attended_counts(event).items()
            if attended >= minimum and pk not in having
        ]
        for certificate in new:
            certificate.save()
        if new:
            audit_log(
                action="events.certificates.issued",
                actor=actor,
                agency=agency,
                target=event,
                data={"issued": len(new), "min_sessions": minimum},
            )
        for certificate in new:
            enqueue_on_commit(send_certificate, certificate_id=certificate.pk)
    return new


def evaluation_send(*, actor: Actor, agency: Agency, event: Event) -> int:
    """E-mail the evaluation link to every confirmed participant, once. Returns how many."""
    if not event.evaluation_url:
        raise FollowUpError(_("Add the evaluation link to the event first."))
    if event.status == EventStatus.CANCELLED:
        raise FollowUpError(_("The event is cancelled."))
    if event.ends_at > timezone.now():
        raise FollowUpError(_("The evaluation can be sent when the event has ended."))
    with transaction.atomic():
        now = timezone.now()
        claimed = Event.objects.filter(pk=event.pk, evaluation_sent_at__isnull=True).update(
            evaluation_sent_at=now
        )
        if not claimed:
            raise FollowUpError(_("The evaluation has already been sent."))
        event.evaluation_sent_at = now
        # One mail per person, about their latest confirmed registration.
        recipients = one_per_person(event.registrations.filter(status=RegistrationStatus.CONFIRMED))
        audit_log(
            action="events.evaluation.sent",
            actor=actor,
            agency=agency,
            target=event,
            data={"recipients": len(recipients)},
        )
        for registration_id in recipients:
            enqueue_on_commit(send_evaluation, registration_id=registration_id)
    return len(recipients)
