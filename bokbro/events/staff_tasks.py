"""Background work started by the agency's staff. Tasks take ids and are enqueued after commit."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from bokbro.core.emails import send_email


@task(queue_name="email")
def email_participant(*, registration_id: int, subject: str, message: str) -> bool:
    """One message from the organiser to one participant, in the participant's language."""
    from bokbro.events.models import Registration

    registration = (
        Registration.objects.select_related("event", "event__agency")
        .filter(pk=registration_id, anonymised=False)
        .first()
    )
    if registration is None:
        return False
    event = registration.event
    root = settings.SITE_ROOT.rstrip("/")
    send_email(
        to=registration.email,
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
