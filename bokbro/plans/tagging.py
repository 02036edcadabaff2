"""Tagging an activity with the goals of the agency's plan: the form field the modules use.

The field offers only the agency's own goals (`Goal.objects.for_choices(agency)`), each labelled
with its focus area (and its plan, when the agency has several), as a list of checkboxes. A goal
of another agency, sent by hand, is refused like any choice not on the list.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.plans.models import Goal


class PlanGoalsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Goals of the plan"))
        kwargs.setdefault(
            "help_text",
            _("The goals this serves; the plan's follow-up and the annual report count it there."),
        )
        kwargs.setdefault("required", False)
        super().__init__(queryset=Goal.objects.none(), **kwargs)
        self.several_plans = False

    def for_agency(self, agency: Any) -> None:
        goals = Goal.objects.for_choices(agency)
        self.queryset = goals
        self.several_plans = len({goal.plan_id for goal in goals}) > 1

    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj} ({obj.focus_area})"
        if self.several_plans:
            return f"{label}, {obj.plan.title}"
        return label


def add_plan_goals(form: forms.BaseForm, agency: Any, name: str = "plan_goals") -> None:
    """Give the form's `plan_goals` field the agency's goals; drop it when there are none."""
    field = form.fields.get(name)
    if not isinstance(field, PlanGoalsField):
        return
    field.for_agency(agency)
    if field.queryset is None or not field.queryset.exists():
        del form.fields[name]


def check_plan_goals(agency: Any, goals: Any, field: str = "plan_goals") -> None:
    """Services call this before tagging: every goal must be one of the agency's own."""
    from django.core.exceptions import ValidationError

    ids = {goal.pk for goal in goals}
    if ids and Goal.objects.filter(pk__in=ids).exclude(plan__agency=agency).exists():
        raise ValidationError({field: _("Choose goals from your agency's own plans.")})
