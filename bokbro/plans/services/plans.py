"""The agency's plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.plans.models import Plan, PlanKind
from bokbro.plans.services.common import (
    apply_changes,
    apply_document,
    check_own,
    log_action,
    values_of,
)


@dataclass(frozen=True, kw_only=True)
class PlanFields:
    """A plan as the staff's form gives it (the defaults are the model's)."""

    title: str
    starts_year: int
    kind: str = PlanKind.REGIONAL_LIBRARY_PLAN
    ends_year: int | None = None
    adopted_on: date | None = None
    adopted_by: str = ""
    url: str = ""
    summary: str = ""
    is_published: bool = True


@transaction.atomic
def plan_create(
    *, actor: Actor | None, agency: Agency, fields: PlanFields, document: Any = None
) -> Plan:
    plan = Plan(agency=agency)
    apply_changes(plan, values_of(fields))
    apply_document(plan, document)
    plan.full_clean(exclude=["document"])
    plan.save()
    log_action("plans.plan.created", actor=actor, agency=agency, target=plan, title=plan.title)
    return plan


@transaction.atomic
def plan_update(
    *, actor: Actor, agency: Agency, plan: Plan, fields: PlanFields, document: Any = None
) -> Plan:
    check_own(agency, plan.agency_id)
    was_published = plan.is_published
    changed = apply_changes(plan, values_of(fields))
    if apply_document(plan, document):
        changed.append("document")
    if not changed:
        return plan
    plan.full_clean(exclude=["document"])
    plan.save()
    log_action("plans.plan.updated", actor=actor, agency=agency, target=plan, fields=changed)
    if plan.is_published != was_published:
        action = "plans.plan.published" if plan.is_published else "plans.plan.hidden"
        log_action(action, actor=actor, agency=agency, target=plan)
    return plan


@transaction.atomic
def plan_delete(*, actor: Actor, agency: Agency, plan: Plan) -> None:
    """Delete the plan with its tree; its file leaves storage after the commit (apps.py)."""
    check_own(agency, plan.agency_id)
    log_action("plans.plan.deleted", actor=actor, agency=agency, target=plan, title=plan.title)
    plan.delete()
