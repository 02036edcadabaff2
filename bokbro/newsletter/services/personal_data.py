"""What the module holds about an address, for a user's data export and account deletion."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bokbro.newsletter.models import (
    Delivery,
    Subscriber,
)


def subscriber_export(*, email: str) -> list[dict[str, Any]]:
    """What the newsletter module holds about an address (for the user's data export)."""
    rows = Subscriber.objects.filter(email__iexact=email).select_related("mailing_list", "agency")
    return [
        {
            "agency": s.agency.name,
            "list": s.mailing_list.name,
            "status": s.status,
            "name": s.name,
            "language": s.language,
            "signed_up": s.created_at.isoformat(),
            "source": s.source,
            "consent_version": s.consent_version,
            "requested_ip": s.requested_ip,
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "confirmed_ip": s.confirmed_ip,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
        }
        for s in rows
    ]


@transaction.atomic
def subscriber_erase(*, email: str) -> int:
    """Forget an address: its subscriptions and its delivery rows (issue counts stay)."""
    deleted, _detail = Subscriber.objects.filter(email__iexact=email).delete()
    for delivery in Delivery.objects.filter(email__iexact=email).only("pk"):
        Delivery.objects.filter(pk=delivery.pk).update(
            email=f"erased-{delivery.pk}@invalid.invalid", name=""
        )
    return deleted
