"""The e-mails events send, each rendered from ids and queued for delivery (core.emails), in the
participant's language: what happened to a registration (with the calendar file), the outbox of
registration notices (`notices_send`), a certificate, the evaluation link, new material and a
message from the organiser; and, in the approver's language, the digest of places waiting for
their approval.

The task workers run them (tasks.py). This module imports no service, so the services can
enqueue those tasks without an import loop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bokbro.core import ics
from bokbro.core.emails import send_email
from bokbro.core.mail.addresses import Refusal
from bokbro.events.models import (
    Certificate,
    Event,
    Material,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.events.selectors import (
    ApprovalRoute,
    Approver,
    approval_routes,
    session_places_of,
    waiting_place,
)

# The e-mails about a place that waits for approval say who decides (the library manager, or
# the organiser where the library has none).
AWAITING_APPROVAL = ("pending", "promoted_pending")


def refused(registration: Registration) -> Refusal:
    """A mail to the participant whose address is refused marks the registration."""
    return Refusal("bokbro.events.mails.address_refused", registration.pk)


def address_refused(registration_id: int, reason: str) -> None:
    """Mark the registration: its address was refused (core/mail/addresses.py); the
    participant list shows it to the organiser."""
    Registration.objects.filter(pk=registration_id, anonymised=False).update(
        address_refused_at=timezone.now(), address_refusal=reason[:300]
    )


def registration_email(
    *,
    registration_id: int,
    kind: str,
    reason: str = "",
    on_commit: bool = True,
    session_id: int | None = None,
    removed_sessions: list[dict[str, str]] | None = None,
    given_up: list[int] | None = None,
) -> bool:
    """Render the participant's e-mail and queue its delivery (after commit, or with
    `on_commit=False` inside the caller's transaction). The calendar file and the sessions
    listed are the event's as they are now (a removed session is no longer in them); the
    sessions the participant gave up (`given_up`) are in it as cancelled, so that opening it
    takes them out of their calendar."""
    registration = (
        Registration.objects.select_related("event", "event__agency", "library")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.anonymised:
        return False
    event = registration.event
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    # A place that ended (or an event called off) sends a cancelling calendar entry, so that
    # opening the attachment takes the event out of the calendar instead of adding it.
    ended = event.is_cancelled or registration.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.DECLINED,
    )
    cal = _calendar(registration, ended=ended, confirmed=confirmed, given_up=given_up)
    attachments = [("event.ics", ics.to_bytes(cal), "text/calendar")]
    route = approval_routes([registration])[registration.pk] if kind in AWAITING_APPROVAL else None
    send_email(
        to=registration.email,
        refusal=refused(registration),
        template="events/registration",
        context={
            "kind": kind,
            "reason": reason,
            "registration": registration,
            # Where they are in the queue now (the stored arrival order is never renumbered).
            "waiting_place": waiting_place(registration),
            "route": route,
            "event": event,
            "sessions": list(event.sessions.all()),
            # The elective sessions chosen, with the place in each (not once it has ended).
            "session_places": [] if ended else session_places_of(registration),
            "session": Session.objects.filter(pk=session_id, event=event).first()
            if session_id
            else None,
            "link": event.agency.absolute(registration.get_absolute_url()),
            "sessions_link": event.agency.absolute(
                reverse("events:registration_sessions", args=[registration.token])
            ),
            "event_link": event.agency.absolute(event.get_absolute_url()),
            "show_online_url": confirmed and bool(event.online_url),
            **_removed_context(event, removed_sessions),
        },
        language=registration.language,
        agency=event.agency,
        attachments=attachments,
        on_commit=on_commit,
    )
    return True


def _calendar(
    registration: Registration, *, ended: bool, confirmed: bool, given_up: list[int] | None
) -> Calendar:
    """The participant's calendar file: their own sessions (`_own_sessions`), with those they
    gave up as cancelled; an ended place takes every session of the event out."""
    event = registration.event
    cal = ics.calendar(event.title, method="CANCEL" if ended else "PUBLISH")
    ics.event_sessions(
        cal,
        event,
        include_online_url=confirmed,
        cancelled=ended,
        sessions=None if ended else _own_sessions(registration),
    )
    if given_up and not ended:
        ics.event_sessions(
            cal,
            event,
            cancelled=True,
            sessions=event.sessions.filter(pk__in=given_up).exclude(
                places__registration=registration
            ),
        )
    return cal


def _own_sessions(registration: Registration) -> list[Session]:
    """The sessions in the participant's calendar: the event's sessions for everyone, and the
    elective sessions they chose (with a seat, or waiting for one)."""
    return list(
        registration.event.sessions.filter(
            Q(capacity__isnull=True) | Q(places__registration_id=registration.pk)
        ).order_by("starts_at", "pk")
    )


def _removed_context(event: Event, removed: list[dict[str, str]] | None) -> dict[str, Any]:
    """The sessions a "session_removed" mail names (unsaved, so that their labels are written
    in the participant's language), and whether other sessions still have free seats."""
    if not removed:
        return {}
    sessions = []
    for about in removed:
        starts_at = datetime.fromisoformat(about["starts_at"])
        sessions.append(Session(title=about["title"], starts_at=starts_at, ends_at=starts_at))
    free = event.sessions.filter(capacity__isnull=False, seats_taken__lt=F("capacity"))
    return {"removed_sessions": sessions, "other_sessions_free": free.exists()}


def approval_digest_email(
    *,
    approver: Approver,
    registrations: list[Registration],
    routes: dict[int, ApprovalRoute],
    earlier: int = 0,
) -> None:
    """The places newly waiting for this approver, each with links to approve or decline it (a
    page with the buttons, after sign-in), and how many they were told of before still wait."""
    agency = registrations[0].event.agency
    root = agency.base_url  # the links lead to the agency's own site
    items = [
        {
            "registration": r,
            "event": r.event,
            "route": routes[r.pk],
            "approve_link": root + reverse("events:approval_decide", args=[r.pk, "approve"]),
            "decline_link": root + reverse("events:approval_decide", args=[r.pk, "decline"]),
        }
        for r in registrations
    ]
    send_email(
        to=approver.email,
        template="events/approvals",
        context={
            "approver": approver,
            "items": items,
            "earlier": earlier,
            "as_organiser": any(routes[r.pk].organiser_decides for r in registrations),
            "approvals_link": root + reverse("events:approvals"),
        },
        language=approver.language or agency.language,
        agency=agency,
    )


NOTICE_BATCH = 20


def notices_send(*, event_id: int) -> int:
    """Send the event's pending notices, each exactly once: a batch of rows is claimed
    (`FOR UPDATE SKIP LOCKED`: a second run at the same time takes other rows or none), each
    e-mail is queued for delivery inside the same transaction that empties the row's notice,
    and both commit together. A run killed half-way commits nothing; its rows are pending
    again for the next run (or `bokbro periodic`). Returns how many were sent."""
    # First, so that a registration committed after this point queues a new task.
    Event.objects.filter(pk=event_id, notices_queued=True).update(notices_queued=False)
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(event_id=event_id)
                .exclude(notice="")
                .order_by("pk")
                .values_list("pk", "notice")[:NOTICE_BATCH]
            )
            if not batch:
                return sent
            for pk, kind in batch:
                registration_email(registration_id=pk, kind=kind, on_commit=False)
            Registration.objects.filter(pk__in=[pk for pk, _kind in batch]).update(notice="")
        sent += len(batch)


def certificate_email(*, certificate_id: int) -> bool:
    """Tell a participant their certificate is ready, with the link to download it."""
    certificate = (
        Certificate.objects.select_related("registration__event__agency")
        .filter(pk=certificate_id, registration__anonymised=False)
        .first()
    )
    if certificate is None:
        return False
    registration = certificate.registration
    event = registration.event
    root = event.agency.base_url
    send_email(
        to=registration.email,
        refusal=refused(registration),
        template="events/certificate",
        context={
            "certificate": certificate,
            "registration": registration,
            "event": event,
            "download_link": root
            + reverse("events:registration_certificate", args=[registration.token]),
            "link": root + registration.get_absolute_url(),
        },
        language=registration.language,
        agency=event.agency,
    )
    return True


def evaluation_email(*, registration_id: int) -> bool:
    """The evaluation link to one participant, in their language."""
    registration = (
        Registration.objects.select_related("event__agency")
        .filter(pk=registration_id, anonymised=False)
        .first()
    )
    if registration is None:
        return False
    event = registration.event
    send_email(
        to=registration.email,
        refusal=refused(registration),
        template="events/evaluation",
        context={
            "registration": registration,
            "event": event,
            "evaluation_url": event.evaluation_url,
        },
        language=registration.language,
        agency=event.agency,
    )
    return True


def material_email(*, registration_id: int, material_id: int) -> bool:
    """One e-mail to one confirmed participant, in their language, with their personal link
    (where the material is)."""
    registration = (
        Registration.objects.select_related("event", "event__agency")
        .filter(pk=registration_id, anonymised=False, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    material = Material.objects.filter(pk=material_id).first()
    if registration is None or material is None or material.event_id != registration.event_id:
        return False
    event = registration.event
    root = event.agency.base_url
    send_email(
        to=registration.email,
        refusal=refused(registration),
        template="events/material",
        context={
            "registration": registration,
            "event": event,
            "material": material,
            "link": root + registration.get_absolute_url() + "#material-heading",
        },
        language=registration.language,
        agency=event.agency,
    )
    return True


def participant_email(*, registration_id: int, subject: str, message: str) -> bool:
    """One message from the organiser to one participant, in the participant's language."""
    registration = (
        Registration.objects.select_related("event", "event__agency")
        .filter(pk=registration_id, anonymised=False)
        .first()
    )
    if registration is None:
        return False
    event = registration.event
    root = event.agency.base_url
    send_email(
        to=registration.email,
        refusal=refused(registration),
        template="events/bulk",
        context={
            "subject": subject,
            "message": message,
            "registration": registration,
            "event": event,
            "link": root + registration.get_absolute_url(),
            "event_link": root + event.get_absolute_url(),
        },
        language=registration.language,
        agency=event.agency,
    )
    return True
