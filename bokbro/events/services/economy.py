"""The event's economy: cost and income lines, with who pays."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.models import BudgetLine, Event


@dataclass(frozen=True, kw_only=True)
class BudgetLineData:
    """What a budget line says (BudgetKind, BudgetCategory and Payer values)."""

    kind: str
    category: str
    description: str = ""
    amount: Decimal
    payer: str
    is_estimate: bool = False


BUDGET_LINE_FIELDS = tuple(field.name for field in fields(BudgetLineData))


def _budget_line_data(line: BudgetLine) -> dict[str, Any]:
    return {
        "line_id": line.pk,
        "kind": line.kind,
        "category": line.category,
        "amount": str(line.amount),
        "payer": line.payer,
    }


@transaction.atomic
def budget_line_create(
    *, actor: Actor, agency: Agency, event: Event, data: BudgetLineData
) -> BudgetLine:
    line = BudgetLine(
        event=event,
        created_by=actor,
        **{name: getattr(data, name) for name in BUDGET_LINE_FIELDS},
    )
    line.full_clean(exclude=["created_by"])
    line.save()
    audit_log(
        action="events.budget_line.created",
        actor=actor,
        agency=agency,
        target=event,
        data=_budget_line_data(line),
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor: Actor, agency: Agency, line: BudgetLine, data: BudgetLineData
) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    changed = [name for name in BUDGET_LINE_FIELDS if getattr(line, name) != getattr(data, name)]
    for name in changed:
        setattr(line, name, getattr(data, name))
    line.full_clean(exclude=["created_by"])
    line.save()
    audit_log(
        action="events.budget_line.updated",
        actor=actor,
        agency=agency,
        target=line.event,
        data={**_budget_line_data(line), "fields": changed},
    )
    return line


@transaction.atomic
def budget_line_delete(*, actor: Actor, agency: Agency, line: BudgetLine) -> None:
    audit_log(
        action="events.budget_line.deleted",
        actor=actor,
        agency=agency,
        target=line.event,
        data=_budget_line_data(line),
    )
    line.delete()
