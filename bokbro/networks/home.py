"""The networks' section of the agency's front page: for a signed-in member, the next meetings of
their networks. Hidden for everyone else (the events' section lists every published meeting)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bokbro.core.home import HomeSection
from bokbro.core.types import AgencyRequest
from bokbro.networks.models import Meeting, MembershipStatus, Network

SHOWN = 5


def next_meetings(request: AgencyRequest) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    meetings = list(
        Meeting.objects.filter(
            network__in=Network.objects.of_agency(request.agency),
            network__memberships__person__user=request.user,
            network__memberships__status=MembershipStatus.MEMBER,
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event", "network")
        .order_by("event__starts_at", "pk")[:SHOWN]
    )
    return {"meetings": meetings} if meetings else None


SECTION = HomeSection(
    key="networks", template="networks/_home_section.html", context=next_meetings, order=15
)
