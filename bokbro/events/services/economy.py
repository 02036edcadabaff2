"""The event's economy: cost and income lines, with who pays."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.directory.models import Agency
from bokbro.events.models import BudgetLine, Event

BUDGET_LINE_FIELDS = ("kind", "category", "description", "amount", "payer", "is_estimate")


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
    *, actor: Any, agency: Agency, event: Event, data: dict[str, Any]
) -> BudgetLine:
    line = BudgetLine(
        event=event,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **{name: data[name] for name in BUDGET_LINE_FIELDS if name in data},
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
    *, actor: Any, agency: Agency, line: BudgetLine, data: dict[str, Any]
) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    changed = [
        name for name in BUDGET_LINE_FIELDS if name in data and getattr(line, name) != data[name]
    ]
    for name in changed:
        setattr(line, name, data[name])
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
def budget_line_delete(*, actor: Any, agency: Agency, line: BudgetLine) -> None:
    audit_log(
        action="events.budget_line.deleted",
        actor=actor,
        agency=agency,
        target=line.event,
        data=_budget_line_data(line),
    )
    line.delete()
