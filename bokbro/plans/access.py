"""How the plans pages reach a plan, a municipal plan, a dialogue or a dialogue template: 404
when it does not exist (or, for the public, is not published on this agency's site), 403 when
it is another agency's. Built on directory/access.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest
from bokbro.directory.access import require_agency_staff
from bokbro.plans.models import (
    Dialogue,
    DialogueTemplate,
    MunicipalPlan,
    Plan,
)


def require_own(request: AgencyRequest, agency_id: int) -> None:
    """The agency's own team only (403 for anyone else, other agencies' staff included)."""
    require_agency_staff(request)
    agency = getattr(request, "agency", None)
    if agency is None or agency.pk != agency_id:
        raise PermissionDenied


def plan_for_staff(request: AgencyRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("agency"), pk=pk)
    require_own(request, plan.agency_id)
    return plan


def published_plan(request: AgencyRequest, pk: int) -> Plan:
    """A plan on the public pages of its agency's site, or 404: unpublished plans and other
    agencies' plans do not exist for the public."""
    agency = getattr(request, "agency", None)
    plan = Plan.objects.of(agency).filter(pk=pk, is_published=True).first()
    if plan is None:
        raise Http404
    return plan


def municipal_plan_for_staff(request: AgencyRequest, pk: int) -> MunicipalPlan:
    plan = get_object_or_404(MunicipalPlan.objects.select_related("municipality"), pk=pk)
    require_own(request, plan.agency_id)
    return plan


def dialogue_for_staff(request: AgencyRequest, pk: int) -> Dialogue:
    dialogue = get_object_or_404(
        Dialogue.objects.select_related("municipality", "template", "consultant"), pk=pk
    )
    require_own(request, dialogue.agency_id)
    return dialogue


def template_for_staff(request: AgencyRequest, pk: int) -> DialogueTemplate:
    template = get_object_or_404(DialogueTemplate, pk=pk)
    require_own(request, template.agency_id)
    return template
