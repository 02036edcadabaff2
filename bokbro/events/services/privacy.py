"""A participant's personal data: deleted after the event's retention period (periodic work),
exported with their account and erased when they delete it (the contract's `personal_data`,
events/personal.py).

Anonymising keeps what the reports count (the registration's status, library and attendance)
and removes who it was: name, address, workplace, answers, the link to the account and the
personal link's token, which is replaced so an old link no longer opens anything."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from bokbro.events.models import Registration
from bokbro.events.models.registrations import ACTIVE, new_token
from bokbro.events.services.places import registration_cancel

ANONYMISED_FIELDS = [
    "name",
    "email",
    "organisation",
    "answers",
    "user",
    "registered_by",
    "token",
    "anonymised",
    "address_refused_at",
    "address_refusal",
]


def registrations_anonymise(registrations: QuerySet[Registration]) -> int:
    """Anonymise the registrations not anonymised yet; returns how many."""
    rows = list(registrations.filter(anonymised=False))
    for registration in rows:
        registration.name = ""
        registration.email = f"anonymised-{registration.pk}@invalid"
        registration.organisation = ""
        registration.answers = {}
        registration.user = None
        registration.registered_by = None
        registration.token = new_token()
        registration.anonymised = True
        registration.address_refused_at = None
        registration.address_refusal = ""
        registration.save(update_fields=ANONYMISED_FIELDS)
    return len(rows)


def _of_person(addresses: list[str]) -> QuerySet[Registration]:
    return Registration.objects.filter(email__in=[a.lower() for a in addresses], anonymised=False)


def person_export(addresses: list[str]) -> list[dict[str, Any]]:
    """The person's registrations, as their data export shows them."""
    rows = (
        _of_person(addresses)
        .select_related("event", "library", "certificate")
        .prefetch_related("attendances__session", "session_places__session")
        .order_by("event__starts_at", "pk")
    )
    return [
        {
            "event": registration.event.title,
            "starts_at": registration.event.starts_at.isoformat(),
            "status": registration.status,
            "name": registration.name,
            "email": registration.email,
            "library": registration.library.name if registration.library else None,
            "workplace": registration.organisation,
            "answers": registration.answers,
            "registered_at": registration.created_at.isoformat(),
            "sessions_attended": sorted(
                attendance.session.starts_at.isoformat()
                for attendance in registration.attendances.all()
                if attendance.present
            ),
            "sessions_chosen": [
                {"session": place.session.label, "status": place.status}
                for place in registration.session_places.all()
            ],
            "certificate": getattr(registration, "certificate", None)
            and registration.certificate.number,
        }
        for registration in rows
    ]


@transaction.atomic
def person_erase(addresses: list[str]) -> int:
    """The person deletes their account: a place they hold for an event still to come is given
    back (the waiting list moves on), then every registration of theirs is anonymised."""
    for registration in _of_person(addresses).filter(status__in=ACTIVE).select_related("event"):
        if not registration.event.is_over:
            registration_cancel(registration=registration, by_staff=True)
    return registrations_anonymise(_of_person(addresses))
