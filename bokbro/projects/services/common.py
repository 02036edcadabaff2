"""What the projects services share: their inputs' many-to-many goals, setting the values, the
audit log against the project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from django.core.exceptions import ObjectDoesNotExist

from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.plans.models import Goal
from bokbro.projects.models import Project


class Tagged(Input):
    """An input with the many-to-many `plan_goals`: exactly these goals, or None to leave the
    goals as they are (a form leaves the field out when the agency has no goals to offer)."""

    plan_goals: tuple[Goal, ...] | None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Self:
        if values.get("plan_goals") is not None:
            values = {**values, "plan_goals": tuple(values["plan_goals"])}
        return super().from_values(values)

    @classmethod
    def of(cls, instance: object, **changes: Any) -> Self:
        return super().of(instance, **{"plan_goals": None, **changes})


def acting_user(actor: Actor | None) -> Actor | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def apply_changes(obj: Any, fields: Input) -> list[str]:
    """Set the values on `obj`; the names of the fields that changed. The many-to-many
    `plan_goals` is set after saving (`set_plan_goals`)."""
    changed = []
    for name, value in fields.items():
        if name == "plan_goals":
            continue
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a foreign key not set yet
            current = None
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def set_plan_goals(obj: Any, goals: tuple[Goal, ...] | None) -> bool:
    """Tag `obj` with exactly `goals`; whether that changed anything."""
    if goals is None:
        return False
    before = set(obj.plan_goals.values_list("pk", flat=True))
    obj.plan_goals.set(goals)
    return before != {goal.pk for goal in goals}


def log_action(
    action: str, *, actor: Actor | None, agency: Agency, project: Project, **data: Any
) -> None:
    audit_log(action=action, actor=actor, agency=agency, target=project, data=data)
