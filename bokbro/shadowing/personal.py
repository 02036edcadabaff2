"""A person's job shadowing applications in their account's data export and deletion (the
contract's `personal_data`), found by the directory entries with the account's addresses.

Erasure: an accepted exchange stays counted in the statistics with its libraries and dates, but
loses the person and everything they wrote (motivation, report, the host's answer); every other
application goes. A place an accepted guest held in a coming stay is free again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from bokbro.accounts.personal import PersonalData
from bokbro.shadowing.models import Application, Offer, Status
from bokbro.shadowing.services import project_travel_update


def _of(addresses: list[str]) -> Any:
    q = Q(pk__in=[])
    for address in addresses:
        q |= Q(person__email__iexact=address)
    return Application.objects.filter(q)


def export(addresses: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "offer": a.offer.title,
            "host": a.offer.host_name,
            "library": a.library.name,
            "status": a.status,
            "applied": a.created_at.isoformat(),
            "motivation": a.motivation,
            "travel_support_asked": str(a.travel_support_asked or ""),
            "travel_support_granted": str(a.travel_support_granted or ""),
            "first_day": a.starts_on.isoformat() if a.starts_on else None,
            "last_day": a.ends_on.isoformat() if a.ends_on else None,
            "answer": a.answer,
            "report": a.guest_report,
        }
        for a in _of(addresses).select_related("offer__agency", "offer__host_library", "library")
    ]


@transaction.atomic
def erase(addresses: list[str]) -> int:
    rows = list(_of(addresses).select_for_update(of=("self",)))
    today = timezone.localdate()
    count = 0
    for application in rows:
        count += 1
        if application.status != Status.ACCEPTED:
            application.delete()
            continue
        if application.starts_on and application.starts_on > today:
            # A stay that has not begun will not happen: the place is free and nothing is kept.
            Offer.objects.filter(pk=application.offer_id, places_taken__gt=0).update(
                places_taken=F("places_taken") - 1
            )
            application.delete()
            if application.travel_support_granted is not None:
                project_travel_update(actor=None, application=application)
            continue
        application.person = None
        application.motivation = application.answer = application.guest_report = ""
        application.save(update_fields=["person", "motivation", "answer", "guest_report"])
    return count


DATA = PersonalData(key="shadowing_applications", export=export, erase=erase)
