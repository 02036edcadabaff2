"""Access to surveys, the framework and plans: the agency's team builds, sends and reads them;
respondents reach only their own link (a token) on the agency's site. An object of another
agency is refused on the staff pages (403); a token of another agency's survey is not found."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from bokbro.core.types import StaffRequest

M = TypeVar("M", bound=models.Model)


def staff_object(request: StaffRequest, queryset: models.QuerySet[M], pk: int) -> M:
    """An object for the staff pages (behind staff_required): 404 if it does not exist, 403 if
    it is another agency's."""
    found = get_object_or_404(queryset, pk=pk)
    agency_id = getattr(found, "agency_id", None)
    if agency_id is None:  # a part of a survey or a plan
        parent = getattr(found, "survey", None) or getattr(found, "plan", None)
        agency_id = getattr(parent, "agency_id", None)
    if agency_id != request.agency.pk:
        raise PermissionDenied
    return found
