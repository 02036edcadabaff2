"""The projects section of the library (and municipality) profile (see directory/profile.py).

It lists the projects of the viewer's site — owned by the site's agency or with it as a partner
agency — that the library (or the municipality, or one of its libraries) takes part in, with its
role. The agency's staff see every such project; everyone else, including the library's own
manager, sees the projects as facts (title, status, period, role, the public summary) and never
the internal notes or the funding."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bokbro.directory.profile import ProfileSection, Subject, Viewer
from bokbro.projects.models import Partner, Project


def projects_section(viewer: Viewer, subject: Subject) -> dict[str, Any] | None:
    if viewer.agency is None or (not subject.library_ids and subject.municipality is None):
        return None
    where = Q(library__in=subject.library_ids)
    if subject.library is None and subject.municipality is not None:
        where |= Q(municipality=subject.municipality)
    projects = Project.objects.involving(viewer.agency)
    if not viewer.is_agency_staff:
        managed = set(viewer.roles.managed_library_ids) & set(subject.library_ids)
        if not managed:
            projects = projects.filter(is_published=True)
    rows = list(
        Partner.objects.filter(where, project__in=projects)
        .select_related("project", "library", "municipality")
        .order_by("-project__starts_on", "project__title", "pk")
    )
    if not rows:
        return None
    return {"partner_rows": rows}


SECTION = ProfileSection(
    key="projects",
    title=_("Projects"),
    template="projects/_profile_section.html",
    context=projects_section,
    order=20,
)
