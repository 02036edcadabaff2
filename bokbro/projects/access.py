"""Access to projects. The owner agency's staff see and change everything; the staff of a
partner agency see the project on their own site, read-only, without the owner's internal
notes; the public sees what the owner chose to publish, on the owner's and partners' sites."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest
from bokbro.directory.access import request_roles
from bokbro.projects.models import Document, Project


def project_for_user(request: AgencyRequest, pk: int, *, write: bool = False) -> Project:
    """A project for the staff pages: 404 if it does not exist, 403 for anyone but the owner's
    staff (and, to read, a partner agency's staff)."""
    project = get_object_or_404(Project.objects.for_list(), pk=pk)
    agency = getattr(request, "agency", None)
    if agency is None or not request_roles(request).is_staff:
        raise PermissionDenied
    if project.agency_id == agency.pk:
        return project
    if not write and project.partners.filter(agency=agency).exists():
        return project
    raise PermissionDenied


def is_owner(request: AgencyRequest, project: Project) -> bool:
    """Whether the user may change the project and read its internal notes."""
    agency = getattr(request, "agency", None)
    return agency is not None and project.agency_id == agency.pk and request_roles(request).is_staff


def published_project(request: AgencyRequest, pk: int) -> Project:
    """A project on the public pages of this site, or 404."""
    agency = getattr(request, "agency", None)
    project = Project.objects.published_on(agency).select_related("agency").filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def document_for_user(request: AgencyRequest, project: Project, pk: int) -> Document:
    """A document of a project the user may see (call project_for_user first)."""
    return get_object_or_404(Document, pk=pk, project=project)
