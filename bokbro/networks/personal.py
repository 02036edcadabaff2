"""A person's network memberships in their account's data export and deletion (the contract's
`personal_data`): found by the directory entries with the account's addresses."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from bokbro.accounts.personal import PersonalData
from bokbro.networks.models import Membership


def _of(addresses: list[str]) -> Any:
    q = Q(pk__in=[])
    for address in addresses:
        q |= Q(person__email__iexact=address)
    return Membership.objects.filter(q)


def export(addresses: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "network": m.network.name,
            "agency": m.network.agency.name,
            "status": m.status,
            "coordinator": m.is_coordinator,
            "since": m.joined_at.isoformat() if m.joined_at else None,
        }
        for m in _of(addresses).select_related("network__agency").order_by("pk")
    ]


@transaction.atomic
def erase(addresses: list[str]) -> int:
    count, _by_model = _of(addresses).delete()
    return count


DATA = PersonalData(key="network_memberships", export=export, erase=erase)
