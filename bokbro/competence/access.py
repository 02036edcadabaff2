"""Access to surveys, the framework and plans: the agency's team builds, sends and reads them;
respondents reach only their own link (a token) on the agency's site. An object of another
agency is refused on the staff pages (403); a token of another agency's survey is not found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.competence.models import Survey
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


@dataclass(frozen=True)
class SurveyKey:
    """What the results pages need of a survey before their kept parts: the cache key (its
    version and the previous wave's) and the title for the window's title. The survey itself is
    read only when a kept part is missing (views/results.py)."""

    pk: int
    version: int
    previous_version: int | None
    title: dict[str, str]


def staff_survey_key(request: StaffRequest, pk: int) -> SurveyKey:
    """The survey's key for the staff pages, as `staff_object` answers: 404 if it does not
    exist, 403 if it is another agency's.

    One plain statement, because with the page kept in the cache this read is most of the
    page's own work: the survey's row with its previous wave through the ORM cost 0.95 ms of
    CPU per page, the same columns through `values_list` 0.75 ms, this statement 0.12 ms
    (docs/performance.md, 2026-12-07)."""
    table = Survey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.agency_id, s.version, p.version, s.title FROM {table} s"  # noqa: S608 - table names only
            f" LEFT OUTER JOIN {table} p ON p.id = s.previous_id WHERE s.id = %s",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    agency_id, version, previous_version, title = row
    if agency_id != request.agency.pk:
        raise PermissionDenied
    return SurveyKey(
        pk=pk,
        version=version,
        previous_version=previous_version,
        title=json.loads(title),  # as JSONField reads it
    )
