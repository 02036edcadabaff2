"""The parts of a plan's tree (focus areas, goals, strategies, measures, indicators):
added inline on the plan's page or on a full form, changed and deleted."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans.access import (
    plan_for_staff,
)
from bokbro.plans.forms.plans import (
    ActionForm,
    FocusAreaForm,
    GoalForm,
    IndicatorForm,
    StrategyForm,
)
from bokbro.plans.models import (
    Action,
    FocusArea,
    Goal,
    Indicator,
    Plan,
    Strategy,
)
from bokbro.plans.services import parts
from bokbro.plans.views.common import form_page

# The prefix an inline form on the plan page names its fields with; anything else is ignored.
INLINE_PREFIX = re.compile(r"[a-z]{1,3}[0-9]{0,10}")


@dataclass(frozen=True)
class Part:
    model: parts.PartModel
    form: type
    queryset: Callable[[Plan], Any]
    add_title: Any
    edit_title: Any
    added: Any
    deleted: Any


PARTS = {
    "focus-areas": Part(
        FocusArea,
        FocusAreaForm,
        lambda plan: FocusArea.objects.filter(plan=plan),
        gettext_lazy("Add a focus area"),
        gettext_lazy("Edit the focus area"),
        gettext_lazy("The focus area is added."),
        gettext_lazy("The focus area is deleted, with its goals."),
    ),
    "goals": Part(
        Goal,
        GoalForm,
        lambda plan: Goal.objects.filter(plan=plan),
        gettext_lazy("Add a goal"),
        gettext_lazy("Edit the goal"),
        gettext_lazy("The goal is added."),
        gettext_lazy("The goal is deleted."),
    ),
    "strategies": Part(
        Strategy,
        StrategyForm,
        lambda plan: Strategy.objects.filter(goal__plan=plan),
        gettext_lazy("Add a strategy"),
        gettext_lazy("Edit the strategy"),
        gettext_lazy("The strategy is added."),
        gettext_lazy("The strategy is deleted."),
    ),
    "measures": Part(
        Action,
        ActionForm,
        lambda plan: Action.objects.filter(plan=plan),
        gettext_lazy("Add a measure to the action plan"),
        gettext_lazy("Edit the measure"),
        gettext_lazy("The measure is added to the action plan."),
        gettext_lazy("The measure is deleted."),
    ),
    "indicators": Part(
        Indicator,
        IndicatorForm,
        lambda plan: Indicator.objects.filter(goal__plan=plan),
        gettext_lazy("Add an indicator"),
        gettext_lazy("Edit the indicator"),
        gettext_lazy("The indicator is added."),
        gettext_lazy("The indicator is deleted."),
    ),
}


def _part(name: str) -> Part:
    if name not in PARTS:
        raise Http404
    return PARTS[name]


def _anchor(obj: Any) -> str:
    if isinstance(obj, FocusArea):
        return f"focus-{obj.pk}"
    if isinstance(obj, Goal):
        return f"goal-{obj.pk}"
    if isinstance(obj, Strategy | Indicator | Action):
        return f"goal-{obj.goal_id}"
    return "tree"


def _back(plan: Plan, obj: Any = None) -> str:
    return f"{reverse('plans:plan', args=[plan.pk])}#{_anchor(obj)}"


@staff_required
def part_create(request: StaffRequest, pk: int, part: str) -> HttpResponse:
    """Add a part; the inline forms of the plan page post here (their prefix is "new")."""
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    initial = {}
    for name in ("focus_area", "goal"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    # The inline forms of the plan page name their fields with a prefix of their own.
    posted = request.POST.get("prefix", "")
    prefix = posted if INLINE_PREFIX.fullmatch(posted) else None
    form = kind.form(request.POST or None, plan=plan, initial=initial, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            obj = parts.part_create(
                actor=request.user,
                agency=site_agency(request),
                plan=plan,
                model=kind.model,
                cleaned_data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(kind.added))
            return redirect(_back(plan, obj))
    return form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "page_title": kind.add_title,
            "cancel_url": _back(plan),
            "submit": _("Add"),
        },
    )


@staff_required
def part_edit(request: StaffRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    obj = get_object_or_404(kind.queryset(plan), pk=item_pk)
    form = kind.form(
        request.POST or None, instance=get_object_or_404(kind.queryset(plan), pk=item_pk), plan=plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            parts.part_update(
                actor=request.user,
                agency=site_agency(request),
                plan=plan,
                obj=obj,
                cleaned_data=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_back(plan, obj))
    return form_page(
        request,
        {
            "plan": plan,
            "form": form,
            "page_title": kind.edit_title,
            "cancel_url": _back(plan, obj),
            "submit": _("Save"),
        },
    )


@staff_required
@require_POST
def part_delete(request: StaffRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    plan = plan_for_staff(request, pk)
    kind = _part(part)
    obj = get_object_or_404(kind.queryset(plan), pk=item_pk)
    parts.part_delete(actor=request.user, agency=site_agency(request), plan=plan, obj=obj)
    messages.success(request, str(kind.deleted))
    return redirect(_back(plan))
