"""E-mails after an event: the certificate and the evaluation link. Tasks take ids and are
enqueued after commit."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from bokbro.core.emails import send_email


@task(queue_name="email")
def send_certificate(*, certificate_id: int) -> bool:
    """Tell a participant their certificate is ready, with the link to download it."""
    from bokbro.events.models import Certificate

    certificate = (
        Certificate.objects.select_related("registration__event__agency")
        .filter(pk=certificate_id, registration__anonymised=False)
        .first()
    )
    if certificate is None:
        return False
    registration = certificate.registration
    event = registration.event
    root = settings.SITE_ROOT.rstrip("/")
    send_email(
        to=registration.email,
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


@task(queue_name="email")
def send_evaluation(*, registration_id: int) -> bool:
    """The evaluation link to one participant, in their language."""
    from bokbro.events.models import Registration

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
