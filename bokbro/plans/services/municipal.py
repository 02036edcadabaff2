"""Municipal library plans, the register under KB's rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Municipality
from bokbro.plans.models import MunicipalPlan
from bokbro.plans.services.common import (
    apply_changes,
    apply_document,
    check_municipality,
    check_own,
    log_action,
    values_of,
)


@dataclass(frozen=True, kw_only=True)
class MunicipalPlanFields:
    """A municipal library plan as the staff's form gives it (the defaults are the model's)."""

    municipality: Municipality
    title: str
    starts_year: int
    ends_year: int | None = None
    adopted_on: date | None = None
    adopted_by: str = ""
    url: str = ""
    covers_school_libraries: bool = False
    notes: str = ""


@transaction.atomic
def municipal_plan_create(
    *, actor: Actor | None, agency: Agency, fields: MunicipalPlanFields, document: Any = None
) -> MunicipalPlan:
    plan = MunicipalPlan(agency=agency)
    apply_changes(plan, values_of(fields))
    check_municipality(agency, plan.municipality if plan.municipality_id else None)
    apply_document(plan, document)
    plan.full_clean(exclude=["document"])
    plan.save()
    log_action(
        "plans.municipal_plan.created",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        period=[plan.starts_year, plan.ends_year],
    )
    return plan


@transaction.atomic
def municipal_plan_update(
    *,
    actor: Actor,
    agency: Agency,
    plan: MunicipalPlan,
    fields: MunicipalPlanFields,
    document: Any = None,
) -> MunicipalPlan:
    check_own(agency, plan.agency_id)
    old_end = plan.ends_year
    changed = apply_changes(plan, values_of(fields))
    if apply_document(plan, document):
        changed.append("document")
    if not changed:
        return plan
    check_municipality(agency, plan.municipality)
    if plan.ends_year != old_end:
        plan.reminded_for_year = None  # a new period gets its own reminders
    plan.full_clean(exclude=["document"])
    plan.save()
    log_action(
        "plans.municipal_plan.updated",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        fields=changed,
    )
    return plan


@transaction.atomic
def municipal_plan_delete(*, actor: Actor, agency: Agency, plan: MunicipalPlan) -> None:
    check_own(agency, plan.agency_id)
    log_action(
        "plans.municipal_plan.deleted",
        actor=actor,
        agency=agency,
        target=plan,
        municipality=plan.municipality.name,
        title=plan.title,
    )
    plan.delete()


def municipal_plan_reminder_claim(*, plan_id: int, year: int) -> bool:
    """Claim the year's reminder of a plan with a conditional UPDATE: of two runs (or two
    workers) at once, one gets it."""
    return bool(
        MunicipalPlan.objects.filter(pk=plan_id)
        .exclude(reminded_for_year=year)
        .update(reminded_for_year=year)
    )
