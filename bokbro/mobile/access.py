"""Access to the mobile library. Timetables are public on the agency's own site; the agency's
staff change them. An object of another agency is not found on the public pages (404) and
refused on the staff pages (403)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.models import Municipality

M = TypeVar("M", bound=models.Model)


def public_object(request: AgencyRequest, queryset: models.QuerySet[M], pk: int) -> M:
    """An object of the site's agency, or 404."""
    agency = getattr(request, "agency", None)
    found = queryset.filter(pk=pk, agency=agency).first() if agency is not None else None
    if found is None:
        raise Http404
    return found


def staff_object(request: StaffRequest, queryset: models.QuerySet[M], pk: int) -> M:
    """An object for the staff pages (behind staff_required): 404 if it does not exist, 403 if
    it is another agency's."""
    found = get_object_or_404(queryset, pk=pk)
    if getattr(found, "agency_id", None) != request.agency.pk:
        raise PermissionDenied
    return found


def served_municipality(request: AgencyRequest, pk: int) -> Municipality:
    """A municipality in a county the site's agency serves, or 404."""
    agency = getattr(request, "agency", None)
    if agency is None:
        raise Http404
    # One query (a join) rather than the agency's counties and then the municipality: the kept
    # public pages (views/public.py) make this check on every request.
    found = Municipality.objects.filter(pk=pk, county__agencies=agency).first()
    if found is None:
        raise Http404
    return found
