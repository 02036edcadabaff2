"""Telling confirmed participants about new material. Tasks take ids and run after commit."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from bokbro.core.emails import send_email


@task(queue_name="email")
def announce_material(*, registration_id: int, material_id: int) -> bool:
    """One e-mail to one confirmed participant, in their language, with their personal link
    (where the material is)."""
    from bokbro.events.models import Material, Registration, RegistrationStatus

    registration = (
        Registration.objects.select_related("event", "event__agency")
        .filter(pk=registration_id, anonymised=False, status=RegistrationStatus.CONFIRMED)
        .first()
    )
    material = Material.objects.filter(pk=material_id).first()
    if registration is None or material is None or material.event_id != registration.event_id:
        return False
    event = registration.event
    root = settings.SITE_ROOT.rstrip("/")
    send_email(
        to=registration.email,
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
