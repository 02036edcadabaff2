"""Reads the pages, the export, the home and profile sections and the report share."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from bokbro.directory.models import Library
from bokbro.networks.models import Meeting, Membership, Network


def next_meeting(network: Network) -> Meeting | None:
    return (
        network.meetings.filter(event__ends_at__gte=timezone.now())
        .select_related("event", "event__municipality")
        .order_by("event__starts_at", "pk")
        .first()
    )


def coordinators(network: Network) -> list[Membership]:
    return list(network.memberships.active().filter(is_coordinator=True).for_list())


def members(network: Network) -> list[Membership]:
    return list(network.memberships.active().for_list())


def libraries_taking_part(network: Network) -> QuerySet[Library]:
    """The libraries whose staff are members: public, unlike the members' names."""
    return (
        Library.objects.filter(
            roles__person__network_memberships__network=network,
            roles__person__network_memberships__status="member",
        )
        .distinct()
        .order_by("name")
    )


def published_notes(network: Network) -> list[Meeting]:
    return list(
        network.meetings.filter(notes_published_at__isnull=False)
        .select_related("event")
        .order_by("-event__starts_at")
    )


def member_rows(network: Network) -> list[list[str]]:
    """The member list as the coordinators' export writes it."""
    return [
        [
            m.person.name,
            m.person.email,
            ", ".join(m.libraries),
            "x" if m.is_coordinator else "",
            m.joined_at.date().isoformat() if m.joined_at else "",
        ]
        for m in members(network)
    ]
