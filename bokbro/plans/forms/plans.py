"""The agency's plan and the parts of its tree, the indicators' values and the action plan's
filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core import limits
from bokbro.plans.computed import METRICS, metric_choices
from bokbro.plans.forms.common import (
    DATE_WIDGET,
    DocumentMixin,
    NumberField,
    PeriodMixin,
    choice_field,
    year_field,
)
from bokbro.plans.models import (
    Action,
    ActionStatus,
    FocusArea,
    Goal,
    Indicator,
    IndicatorSource,
    Plan,
    Strategy,
)
from bokbro.plans.services.plans import PlanFields


class PlanForm(PeriodMixin, DocumentMixin, forms.ModelForm):
    starts_year = year_field(gettext_lazy("First year"))
    ends_year = year_field(
        gettext_lazy("Last year"),
        required=False,
        help_text=gettext_lazy("Leave empty if the plan has no end."),
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "kind",
            "starts_year",
            "ends_year",
            "adopted_on",
            "adopted_by",
            "url",
            "document",
            "summary",
            "is_published",
        ]
        widgets = {"adopted_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_document()
        self.fields["summary"].help_text = gettext_lazy(
            "Markdown: **bold**, *italics*, lists with - and links."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_period(data)
        return data

    def plan_fields(self) -> PlanFields:
        data = self.cleaned_data
        return PlanFields(
            title=data["title"],
            kind=data["kind"],
            starts_year=data["starts_year"],
            ends_year=data["ends_year"],
            adopted_on=data["adopted_on"],
            adopted_by=data["adopted_by"],
            url=data["url"],
            summary=data["summary"],
            is_published=data["is_published"],
        )


class OrderMixin:
    """The order may be left empty: a new part then goes after its siblings."""

    def _optional_order(self) -> None:
        field = self.fields["order"]  # type: ignore[attr-defined]
        field.required = False
        field.help_text = gettext_lazy("Lower numbers come first. Empty: after the others.")


class FocusAreaForm(OrderMixin, forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["code", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self._optional_order()


class GoalForm(OrderMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["focus_area", "code", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self._optional_order()
        choice_field(self, "focus_area").queryset = plan.focus_areas.all()
        self.fields["focus_area"].label = gettext_lazy("Focus area")


class StrategyForm(OrderMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["goal", "title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self._optional_order()
        choice_field(self, "goal").queryset = plan.goals.select_related("focus_area")
        self.fields["goal"].label = gettext_lazy("Goal")


class ActionForm(forms.ModelForm):
    year = year_field(gettext_lazy("Year"))

    class Meta:
        model = Action
        fields = [
            "goal",
            "strategy",
            "title",
            "description",
            "responsible",
            "responsible_text",
            "year",
            "status",
            "status_note",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "status_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "goal").queryset = plan.goals.select_related("focus_area")
        self.fields["goal"].label = gettext_lazy("Goal")
        choice_field(self, "strategy").queryset = Strategy.objects.filter(goal__plan=plan)
        choice_field(self, "responsible").queryset = plan.agency.team.order_by("name")
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        goal, strategy = data.get("goal"), data.get("strategy")
        if goal and strategy and strategy.goal_id != goal.pk:
            self.add_error("strategy", _("Choose a strategy of the measure's goal."))
        return data


class IndicatorForm(OrderMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["goal", "name", "unit", "target", "higher_is_better", "source", "metric", "order"]
        field_classes = {"target": NumberField}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "order" in self.fields:
            self._optional_order()
        choice_field(self, "goal").queryset = plan.goals.select_related("focus_area")
        self.fields["goal"].label = gettext_lazy("Goal")
        self.fields["target"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        if "source" in self.fields:
            self.fields["source"].required = False  # the quick-add form on the plan page
        if "metric" in self.fields:
            self.fields["metric"] = forms.ChoiceField(
                label=gettext_lazy("Computed figure"),
                choices=metric_choices(),
                required=False,
                help_text=gettext_lazy(
                    "For a computed indicator: Bokbro computes its value for each year from the "
                    "activities tagged with the goal, in the follow-up and the annual report."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "source" in self.fields and not data.get("source"):
            data["source"] = IndicatorSource.MANUAL
        if data.get("source") == IndicatorSource.COMPUTED and not data.get("metric"):
            self.add_error("metric", _("Choose the figure Bokbro should compute."))
        if data.get("source") == IndicatorSource.MANUAL:
            data["metric"] = ""
        elif data.get("metric") in METRICS and not data.get("unit"):
            data["unit"] = METRICS[data["metric"]].unit
        return data


class IndicatorValueForm(forms.Form):
    year = year_field(gettext_lazy("Year"))
    value = NumberField(
        label=gettext_lazy("Value"),
        max_digits=14,
        decimal_places=2,
        min_value=limits.FIGURES[0],
        max_value=limits.FIGURES[1],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.initial.setdefault("year", timezone.localdate().year)


class ActionFilterForm(forms.Form):
    year = year_field(gettext_lazy("Year"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *ActionStatus.choices],
    )
