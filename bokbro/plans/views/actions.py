"""The action plan: every measure of a plan, filtered, and its CSV and XLSX exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bokbro.core import exports
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.plans.access import (
    plan_for_staff,
)
from bokbro.plans.forms.plans import ActionFilterForm
from bokbro.plans.models import (
    Action,
    Plan,
)


def _actions(request: StaffRequest, plan: Plan) -> tuple[ActionFilterForm, Any]:
    form = ActionFilterForm(request.GET or None)
    actions = Action.objects.filter(plan=plan).select_related(
        "goal", "goal__focus_area", "strategy", "responsible"
    )
    if form.is_valid():
        if form.cleaned_data["year"]:
            actions = actions.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["status"]:
            actions = actions.filter(status=form.cleaned_data["status"])
    return form, actions.order_by(
        "year", "goal__focus_area__order", "goal__order", "goal__code", "pk"
    )


@staff_required
def action_list(request: StaffRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    form, actions = _actions(request, plan)
    return render(
        request,
        "plans/action_list.html",
        {"plan": plan, "form": form, "actions": actions, "query": request.GET.urlencode()},
    )


def _action_rows(request: StaffRequest, plan: Plan) -> tuple[list[str], list[list[Any]]]:
    _form, actions = _actions(request, plan)
    header = [
        _("Year"),
        _("Focus area"),
        _("Goal"),
        _("Strategy"),
        _("Measure"),
        _("Responsible"),
        _("Status"),
        _("Status note"),
    ]
    rows = [
        [
            a.year,
            str(a.goal.focus_area),
            str(a.goal),
            a.strategy.title if a.strategy else "",
            a.title,
            a.responsible.name if a.responsible else a.responsible_text,
            a.get_status_display(),
            a.status_note,
        ]
        for a in actions
    ]
    return header, rows


@staff_required
def action_csv(request: StaffRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    header, rows = _action_rows(request, plan)
    return exports.csv_response(header, rows, f"action-plan-{plan.pk}.csv")


@staff_required
def action_xlsx(request: StaffRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    header, rows = _action_rows(request, plan)
    sheet = exports.Sheet(_("Action plan"), header, rows)
    return exports.xlsx_response([sheet], f"action-plan-{plan.pk}.xlsx")
