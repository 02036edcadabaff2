"""The addresses that follow stops, in a person's data export and account deletion."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bokbro.accounts.personal import PersonalData
from bokbro.mobile.models import Follower


def _of(addresses: list[str]) -> Any:
    named = Q(pk__in=[])
    for address in addresses:
        named |= Q(email__iexact=address)
    return Follower.objects.filter(named)


def _export(addresses: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "agency": follower.agency.name,
            "stop": str(follower.stop),
            "email": follower.email,
            "language": follower.language,
            "asked_at": follower.created_at.isoformat(),
            "confirmed_at": follower.confirmed_at.isoformat() if follower.confirmed_at else None,
        }
        for follower in _of(addresses).select_related("agency", "stop").order_by("pk")
    ]


def _erase(addresses: list[str]) -> int:
    deleted, _by_model = _of(addresses).delete()
    return deleted


DATA = PersonalData(key="mobile_followers", export=_export, erase=_erase)
