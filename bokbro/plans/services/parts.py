"""The tree of a plan (focus areas, goals, strategies, measures, indicators) and the
indicators' values by year."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.plans.computed import METRICS
from bokbro.plans.models import (
    Action,
    FocusArea,
    Goal,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Plan,
    Strategy,
)
from bokbro.plans.services.common import (
    apply_changes,
    check_own,
    log_action,
)


def _check_part(plan: Plan, obj: Any) -> None:
    """The rules a part's relations must keep: everything under one plan, one agency."""
    if isinstance(obj, Goal) and obj.focus_area_id and obj.focus_area.plan_id != plan.pk:
        raise ValidationError({"focus_area": _("Choose a focus area of this plan.")})
    if isinstance(obj, Strategy | Indicator) and obj.goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    computed = isinstance(obj, Indicator) and obj.source == IndicatorSource.COMPUTED
    if computed and obj.metric not in METRICS:
        raise ValidationError({"metric": _("Choose the figure Bokbro should compute.")})
    if isinstance(obj, Action):
        if obj.goal_id is None or obj.goal.plan_id != plan.pk:
            raise ValidationError({"goal": _("Choose a goal of this plan.")})
        strategy, responsible = obj.strategy, obj.responsible
        if strategy is not None and strategy.goal_id != obj.goal_id:
            raise ValidationError({"strategy": _("Choose a strategy of the measure's goal.")})
        if responsible is not None and responsible.agency_id != plan.agency_id:
            raise ValidationError({"responsible": _("Choose someone on the agency's team.")})


def _new_part(model: type[models.Model], plan: Plan) -> Any:
    if model in (FocusArea, Goal, Action):
        return model(plan=plan)
    return model()


def _next_order(plan: Plan, obj: Any) -> int:
    """A new part without an order goes after its siblings."""
    siblings: Any
    if isinstance(obj, FocusArea):
        siblings = FocusArea.objects.filter(plan=plan)
    elif isinstance(obj, Goal):
        siblings = Goal.objects.filter(focus_area_id=obj.focus_area_id)
    elif isinstance(obj, Strategy):
        siblings = Strategy.objects.filter(goal_id=obj.goal_id)
    elif isinstance(obj, Indicator):
        siblings = Indicator.objects.filter(goal_id=obj.goal_id)
    else:
        return 0
    last = siblings.aggregate(last=models.Max("order"))["last"]
    return 0 if last is None else min(last + 1, 32767)


# The parts' services are generic over the five models: what they take is the part form's
# `cleaned_data` (model field name -> value), applied as it is. The quick-add forms of the plan
# page leave fields out, which then keep the model's default (or, on update, their value), so a
# dataclass per model would have to say "not given" for every field; the forms and the models'
# `full_clean` type-check the values instead.
PartModel = type[FocusArea] | type[Goal] | type[Strategy] | type[Action] | type[Indicator]

PART_NAMES: dict[type[models.Model], str] = {
    FocusArea: "focus_area",
    Goal: "goal",
    Strategy: "strategy",
    Action: "action",
    Indicator: "indicator",
}


@transaction.atomic
def part_create(
    *,
    actor: Actor | None,
    agency: Agency,
    plan: Plan,
    model: PartModel,
    cleaned_data: Mapping[str, object],
) -> Any:
    """Add a focus area, goal, strategy, measure or indicator to the plan."""
    check_own(agency, plan.agency_id)
    obj = _new_part(model, plan)
    apply_changes(obj, cleaned_data)
    if getattr(obj, "order", 0) is None:
        obj.order = _next_order(plan, obj)
    _check_part(plan, obj)
    obj.full_clean()
    obj.save()
    name = PART_NAMES[model]
    log_action(f"plans.{name}.created", actor=actor, agency=agency, target=plan, title=str(obj))
    return obj


@transaction.atomic
def part_update(
    *, actor: Actor, agency: Agency, plan: Plan, obj: Any, cleaned_data: Mapping[str, object]
) -> Any:
    check_own(agency, plan.agency_id)
    changed = apply_changes(obj, cleaned_data)
    if getattr(obj, "order", 0) is None:
        obj.order = _next_order(plan, obj)
    if changed:
        _check_part(plan, obj)
        obj.full_clean()
        obj.save()
        name = PART_NAMES[type(obj)]
        extra = {"status": obj.status} if isinstance(obj, Action) else {}
        log_action(
            f"plans.{name}.updated",
            actor=actor,
            agency=agency,
            target=plan,
            title=str(obj),
            fields=changed,
            **extra,
        )
    return obj


@transaction.atomic
def part_delete(*, actor: Actor, agency: Agency, plan: Plan, obj: Any) -> None:
    """Delete a part and what hangs under it (a focus area's goals, a goal's strategies…)."""
    check_own(agency, plan.agency_id)
    name = PART_NAMES[type(obj)]
    log_action(f"plans.{name}.deleted", actor=actor, agency=agency, target=plan, title=str(obj))
    obj.delete()


@transaction.atomic
def indicator_value_set(
    *,
    actor: Actor | None,
    agency: Agency,
    indicator: Indicator,
    year: int,
    value: Decimal,
    note: str = "",
) -> IndicatorValue:
    """The indicator's value for a year: entered, or replaced if the year has one."""
    plan = indicator.goal.plan
    check_own(agency, plan.agency_id)
    row = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year).first()
    created = row is None
    row = row or IndicatorValue(indicator=indicator, year=year)
    row.value, row.note = value, note.strip()
    row.full_clean(validate_unique=created)
    row.save()
    log_action(
        "plans.indicator_value.set",
        actor=actor,
        agency=agency,
        target=plan,
        title=indicator.name,
        year=year,
        value=str(value),
    )
    return row


@transaction.atomic
def indicator_value_delete(*, actor: Actor, agency: Agency, value: IndicatorValue) -> None:
    plan = value.indicator.goal.plan
    check_own(agency, plan.agency_id)
    log_action(
        "plans.indicator_value.deleted",
        actor=actor,
        agency=agency,
        target=plan,
        title=value.indicator.name,
        year=value.year,
    )
    value.delete()
