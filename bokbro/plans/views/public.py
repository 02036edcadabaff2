"""The public plan page: the agency's published plans, and a plan's file."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from bokbro.core.types import AgencyRequest
from bokbro.plans.access import (
    published_plan,
    require_own,
)
from bokbro.plans.models import (
    Plan,
)
from bokbro.plans.selectors import plan_tree
from bokbro.plans.views.common import file_response, this_year


def public_index(request: AgencyRequest) -> HttpResponse:
    """The agency's published plans, those in force this year first, with their trees."""
    agency = getattr(request, "agency", None)
    year = this_year()
    plans = list(Plan.objects.of(agency).filter(is_published=True))
    plans.sort(key=lambda p: (not p.covers(year), -p.starts_year, p.title))
    current = [plan for plan in plans if plan.covers(year)]
    others = [plan for plan in plans if not plan.covers(year)]
    return render(
        request,
        "plans/public_index.html",
        {
            "current": [(plan, plan_tree(plan)) for plan in current],
            "others": others,
            "year": year,
        },
    )


def public_detail(request: AgencyRequest, pk: int) -> HttpResponse:
    plan = published_plan(request, pk)
    return render(
        request,
        "plans/public_detail.html",
        {"plan": plan, "tree": plan_tree(plan), "year": this_year()},
    )


def plan_document(request: AgencyRequest, pk: int) -> HttpResponse:
    """The plan's file: for everyone when the plan is published, else for the agency's staff."""
    plan = get_object_or_404(Plan, pk=pk)
    agency = getattr(request, "agency", None)
    if agency is None or plan.agency_id != agency.pk:
        raise Http404
    if not plan.is_published:
        if not request.user.is_authenticated:
            raise Http404
        require_own(request, plan.agency_id)
    return file_response(plan.document, f"plan-{plan.pk}", private=not plan.is_published)
