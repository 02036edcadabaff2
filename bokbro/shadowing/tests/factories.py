"""Offers and applications for the tests (the access matrix, the behaviour and browser tests)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from bokbro.shadowing import services
from bokbro.shadowing.models import Application, Offer, Status


def make_offer(world: Any, *, days: int = 30, **extra: Any) -> Offer:
    """An offer of the Norwegian agency at Sarpsborg (Marte's library), `days` from today."""
    today = timezone.localdate()
    starts = today + timedelta(days=days)
    fields: dict[str, Any] = {
        "host_library": world.other_library,
        "title": "Hospitering: meröppet og arrangementer",
        "topics": "meröppet, arrangementer",
        "description": "Du følger oss i fire dager.",
        "starts_on": starts,
        "ends_on": starts + timedelta(days=3),
        "apply_by": starts - timedelta(days=7),
        "places": 2,
        "language": "scandinavian",
        "contact_name": "Marte Sjef",
        "contact_email": "hospitering@sarpsborg.example",
        "open_to_other_agencies": False,
    }
    fields.update(extra)
    return services.offer_save(actor=world.consultant, agency=world.agency, **fields)


def accepted_stay(world: Any, offer: Offer, person: Any, library: Any, **extra: Any) -> Application:
    """An accepted application written as it happened (for a stay that has begun)."""
    Offer.objects.filter(pk=offer.pk).update(places_taken=F("places_taken") + 1)
    starts: date = extra.pop("starts_on", offer.starts_on)
    return Application.objects.create(
        offer=offer,
        person=person,
        library=library,
        applicant_agency=extra.pop("applicant_agency", world.agency),
        motivation=extra.pop("motivation", "Jeg vil lære."),
        status=Status.ACCEPTED,
        starts_on=starts,
        ends_on=extra.pop("ends_on", offer.ends_on),
        manager_consent_at=timezone.now(),
        decided_at=timezone.now(),
        **extra,
    )
