"""The class-set section of the library (and municipality) profile: the loans of this year and
last, per school, of the schools in the municipality and of those delivered to the library.
A loan is a sent booking, as the report source counts it (plan_source.py). One query."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.classsets.models import Booking
from bokbro.classsets.plan_source import LENT
from bokbro.directory.profile import ProfileSection, Subject, Viewer


def classsets_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or not (subject.library_ids or subject.municipality):
        return None
    year = timezone.localdate().year
    reached = Q(delivery_library__in=subject.library_ids)
    if subject.municipality is not None:
        reached |= Q(school__municipality=subject.municipality)
    rows = list(
        Booking.objects.filter(
            reached, agency=viewer.agency, status__in=LENT, starts_on__year__gte=year - 1
        )
        .annotate(year=ExtractYear("starts_on"))
        .values("year", "school__name")
        .annotate(loans=Count("pk"), copies=Sum(Coalesce("copies_out", "copies")))
        .order_by("-year", "school__name")
    )
    if not rows:
        return None
    years = [
        {
            "year": y,
            "schools": [r for r in rows if r["year"] == y],
            "loans": sum(r["loans"] for r in rows if r["year"] == y),
            "copies": sum(r["copies"] for r in rows if r["year"] == y),
        }
        for y in sorted({r["year"] for r in rows}, reverse=True)
    ]
    return {"years": years}


SECTION = ProfileSection(
    key="classsets",
    title=_("Class sets"),
    template="classsets/_profile_section.html",
    context=classsets_section,
    order=50,
)
