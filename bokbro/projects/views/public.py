"""The public project pages: ongoing and completed projects, and a project's public page with
only what its agency chose to publish."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponse
from django.shortcuts import render

from bokbro.core.types import AgencyRequest
from bokbro.projects.access import published_project
from bokbro.projects.models import PartnerRole, Project, ProjectStatus
from bokbro.projects.selectors import funding_summary

ONGOING = [ProjectStatus.RUNNING]
COMPLETED = [ProjectStatus.COMPLETED]


def _project_list(request: AgencyRequest, statuses: Sequence[str], which: str) -> HttpResponse:
    projects = (
        Project.objects.published_on(getattr(request, "agency", None))
        .filter(status__in=statuses)
        .select_related("agency")
        .order_by("-starts_on", "title", "pk")
    )
    return render(request, "projects/list.html", {"projects": projects, "which": which})


def project_list(request: AgencyRequest) -> HttpResponse:
    return _project_list(request, ONGOING, "ongoing")


def completed(request: AgencyRequest) -> HttpResponse:
    return _project_list(request, COMPLETED, "completed")


def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    project = published_project(request, pk)
    everyone = list(project.partners.for_list())
    results = [
        p for p in everyone if p.role != PartnerRole.PARTNER and (p.results or p.transfer_value)
    ]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            # The list the project is in, for the breadcrumbs (a stopped project is in neither).
            "in_list": "completed"
            if project.status in COMPLETED
            else "ongoing"
            if project.status in ONGOING
            else "",
            "partners": everyone if project.public_partners else [],
            "results": results if project.public_results else [],
            "measures": list(project.measures.all()) if project.public_measures else [],
            "funding": funding_summary(project) if project.public_funding else None,
        },
    )
