"""The job shadowing section of the library (and municipality) profile: how many accepted
exchanges the library took part in, as host and with its staff as guests, per year. No names."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.shadowing.models import Application, Status


def shadowing_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or not subject.library_ids:
        return None
    ids = list(subject.library_ids)
    rows = list(
        Application.objects.of_agency(viewer.agency)
        .filter(status=Status.ACCEPTED)
        .filter(Q(library__in=ids) | Q(offer__host_library__in=ids))
        .annotate(year=ExtractYear("starts_on"))
        .values("year")
        .annotate(
            guests=Count("pk", filter=Q(library__in=ids)),
            hosted=Count("pk", filter=Q(offer__host_library__in=ids)),
        )
        .order_by("-year")
    )
    return {"years": rows} if rows else None


SECTION = ProfileSection(
    key="shadowing",
    title=_("Job shadowing"),
    template="shadowing/_profile_section.html",
    context=shadowing_section,
    order=45,
)
