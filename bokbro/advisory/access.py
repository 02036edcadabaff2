"""Access to the advisory log: the agency's own staff, and no one else (STYLE.md §4).

Each helper answers 404 when the object does not exist and 403 when it belongs to another
agency. Library managers never reach these objects directly: they read their library's
consultation summaries on the library profile (`advisory/profile.py`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from bokbro.advisory.models import Consultation, FollowUp, PlannedVisit, Topic, Tour
from bokbro.directory.access import require_agency_staff


def _own(request: HttpRequest, agency_id: int) -> None:
    require_agency_staff(request)
    agency = getattr(request, "agency", None)
    if agency is None or agency.pk != agency_id:
        raise PermissionDenied


def consultation_for_user(request: HttpRequest, pk: int) -> Consultation:
    consultation = get_object_or_404(
        Consultation.objects.select_related("agency", "consultant", "event"), pk=pk
    )
    _own(request, consultation.agency_id)
    return consultation


def follow_up_for_user(request: HttpRequest, pk: int) -> FollowUp:
    follow_up = get_object_or_404(FollowUp.objects.select_related("consultation"), pk=pk)
    _own(request, follow_up.agency_id)
    return follow_up


def topic_for_user(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(Topic, pk=pk)
    _own(request, topic.agency_id)
    return topic


def tour_for_user(request: HttpRequest, pk: int) -> Tour:
    tour = get_object_or_404(Tour.objects.select_related("consultant"), pk=pk)
    _own(request, tour.agency_id)
    return tour


def visit_for_user(request: HttpRequest, tour: Tour, pk: int) -> PlannedVisit:
    return get_object_or_404(
        PlannedVisit.objects.select_related("library", "tour", "consultation"), pk=pk, tour=tour
    )
