"""The mobile library's section of the municipality (and library) profile: the site's agency's
stops in the municipality, and this year's counts at them (visits made, loans, visitors)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.mobile import selectors
from bokbro.mobile.models import Stop


def mobile_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or subject.municipality is None:
        return None
    year = selectors.today().year
    this_year = Q(visits__counts__date__year=year)
    stops = list(
        Stop.objects.filter(agency=viewer.agency, municipality=subject.municipality)
        .annotate(
            visits_made=Count("visits__counts", filter=this_year),
            loans=Sum("visits__counts__loans", filter=this_year, default=0),
            visitors=Sum("visits__counts__visitors", filter=this_year, default=0),
        )
        .order_by("community", "name", "pk")
    )
    if not stops:
        return None
    return {
        "stops": stops,
        "year": year,
        "totals": {
            "visits_made": sum(s.visits_made for s in stops),  # type: ignore[attr-defined]
            "loans": sum(s.loans for s in stops),  # type: ignore[attr-defined]
            "visitors": sum(s.visitors for s in stops),  # type: ignore[attr-defined]
        },
        "municipality": subject.municipality,
    }


SECTION = ProfileSection(
    key="mobile",
    title=_("Mobile library"),
    template="mobile/_profile_section.html",
    context=mobile_section,
    order=45,
)
