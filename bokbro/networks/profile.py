"""The networks section of the library (and municipality) profile: the site's agency's networks
its staff take part in, with how many of them. Names stay on the members' pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.networks.models import MembershipStatus, Network


def networks_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or not subject.library_ids:
        return None
    networks = list(
        Network.objects.of_agency(viewer.agency)
        .filter(
            memberships__status=MembershipStatus.MEMBER,
            memberships__person__library_roles__library__in=subject.library_ids,
        )
        .annotate(people=Count("memberships__person", distinct=True))
        .order_by("name")
    )
    return {"networks": networks} if networks else None


SECTION = ProfileSection(
    key="networks",
    title=_("Networks"),
    template="networks/_profile_section.html",
    context=networks_section,
    order=40,
)
