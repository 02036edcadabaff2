"""A goal's page: its indicators and the values entered for each year."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans.access import (
    plan_for_staff,
)
from bokbro.plans.forms.plans import IndicatorValueForm
from bokbro.plans.models import (
    Action,
    Goal,
    Indicator,
    IndicatorValue,
)
from bokbro.plans.services import parts
from bokbro.plans.views.common import this_year


@staff_required
def goal_detail(request: StaffRequest, pk: int, goal_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    goal = get_object_or_404(
        Goal.objects.select_related("focus_area").prefetch_related(
            "strategies",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
            Prefetch("actions", queryset=Action.objects.select_related("responsible", "strategy")),
        ),
        pk=goal_pk,
        plan=plan,
    )
    return render(
        request,
        "plans/goal_detail.html",
        {
            "plan": plan,
            "goal": goal,
            "value_form": IndicatorValueForm(),
            "year": this_year(),
        },
    )


@staff_required
@require_POST
def indicator_value(request: StaffRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Enter (or replace) an indicator's value for a year, from the small form on the goal page."""
    plan = plan_for_staff(request, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal__plan"), pk=indicator_pk, goal__plan=plan
    )
    form = IndicatorValueForm(request.POST, prefix=f"value-{indicator.pk}")
    back = reverse("plans:goal", args=[plan.pk, indicator.goal_id]) + f"#indicator-{indicator.pk}"
    if form.is_valid():
        parts.indicator_value_set(
            actor=request.user,
            agency=site_agency(request),
            indicator=indicator,
            year=form.cleaned_data["year"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The value is saved."))
        return redirect(back)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(back)


@staff_required
@require_POST
def indicator_value_delete(request: StaffRequest, pk: int, value_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__goal__plan"),
        pk=value_pk,
        indicator__goal__plan=plan,
    )
    parts.indicator_value_delete(actor=request.user, agency=site_agency(request), value=value)
    messages.success(request, _("The value is deleted."))
    return redirect(
        reverse("plans:goal", args=[plan.pk, value.indicator.goal_id])
        + f"#indicator-{value.indicator_id}"
    )
