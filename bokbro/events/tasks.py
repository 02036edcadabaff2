"""Event e-mails and periodic work. Tasks take ids and are enqueued after commit."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from bokbro.core import ics
from bokbro.core.emails import send_email


@task(queue_name="email")
def notify_registration(*, registration_id: int, kind: str, reason: str = "") -> bool:
    """Tell a participant what happened to their registration, with the calendar file."""
    return registration_email(registration_id=registration_id, kind=kind, reason=reason)


@task(queue_name="email")
def send_notices(*, event_id: int) -> int:
    """Send the event's pending registration notices (the outbox, services.notices_send)."""
    from bokbro.events.services import notices_send

    return notices_send(event_id=event_id)


def registration_email(
    *, registration_id: int, kind: str, reason: str = "", on_commit: bool = True
) -> bool:
    """Render the participant's e-mail and queue its delivery (after commit, or with
    `on_commit=False` inside the caller's transaction)."""
    from bokbro.events.models import Registration, RegistrationStatus

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
    cal = ics.calendar(event.title, method="CANCEL" if ended else "PUBLISH")
    ics.event_sessions(cal, event, include_online_url=confirmed, cancelled=ended)
    attachments = [("event.ics", ics.to_bytes(cal), "text/calendar")]
    send_email(
        to=registration.email,
        template="events/registration",
        context={
            "kind": kind,
            "reason": reason,
            "registration": registration,
            "event": event,
            "sessions": list(event.sessions.all()),
            "link": settings.SITE_ROOT.rstrip("/") + registration.get_absolute_url(),
            "event_link": settings.SITE_ROOT.rstrip("/") + event.get_absolute_url(),
            "show_online_url": confirmed and bool(event.online_url),
        },
        language=registration.language,
        agency=event.agency,
        attachments=attachments,
        on_commit=on_commit,
    )
    return True
