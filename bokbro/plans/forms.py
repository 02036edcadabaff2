"""Forms of the plans module. They validate input; the services in `services.py` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core import limits
from bokbro.core.files import check_upload
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, County, Municipality
from bokbro.plans.computed import METRICS, metric_choices
from bokbro.plans.models import (
    Action,
    ActionStatus,
    Dialogue,
    DialogueTemplate,
    FocusArea,
    Goal,
    GoalProgress,
    Indicator,
    IndicatorSource,
    MunicipalPlan,
    MunicipalPlanStatus,
    Plan,
    Strategy,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_TYPES = ("pdf", "docx", "odt")
DOCUMENT_LIST = "PDF, DOCX, ODT"
PERIOD_ERROR = gettext_lazy("The plan cannot end before it starts.")


class NumberField(forms.DecimalField):
    """A number as people type it in any language: "12 000", "6,5" or "6.5"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def year_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=limits.PLAN_YEARS[0],
        max_value=limits.LAST_YEAR,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def check_document(upload: Any) -> Any:
    """A plan as a file: PDF, DOCX or ODT, at most 20 MB, its content what its name says."""
    return check_upload(
        upload,
        types=DOCUMENT_TYPES,
        type_list=DOCUMENT_LIST,
        refusal=_("Files of this type cannot be stored. Allowed types: %(types)s."),
    )


class StoredFileInput(forms.ClearableFileInput):
    """The stored file by name (staff download it from the plan page, through a checked view),
    never as a link to the storage, with a box to remove it."""

    template_name = "plans/_file_input.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        stored = getattr(value, "name", "") or ""
        context["widget"]["filename"] = stored.rsplit("/", 1)[-1]
        return context


class PeriodMixin:
    """First and last year in order; the last year may be empty (an open-ended plan)."""

    def _check_period(self, data: dict[str, Any]) -> None:
        starts, ends = data.get("starts_year"), data.get("ends_year")
        if starts and ends and ends < starts:
            self.add_error("ends_year", PERIOD_ERROR)  # type: ignore[attr-defined]


class DocumentMixin:
    def _setup_document(self) -> None:
        field = self.fields["document"]  # type: ignore[attr-defined]
        field.widget = StoredFileInput()
        field.help_text = gettext_lazy("At most 20 MB. Allowed types: %(types)s.") % {
            "types": DOCUMENT_LIST
        }
        field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in DOCUMENT_TYPES)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")  # type: ignore[attr-defined]
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            return check_document(upload)
        return upload

    def document_change(self) -> Any:
        """For the service: a new upload, False to remove the file, None to keep it."""
        value = self.cleaned_data.get("document")  # type: ignore[attr-defined]
        if value is False:
            return False
        if value and hasattr(value, "content_type"):
            return value
        return None


# --- The agency's plan -------------------------------------------------------------------------


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

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "document"}


def _choice(form: forms.BaseForm, name: str) -> Any:
    return form.fields[name]


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
        _choice(self, "focus_area").queryset = plan.focus_areas.all()
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
        _choice(self, "goal").queryset = plan.goals.select_related("focus_area")
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
        _choice(self, "goal").queryset = plan.goals.select_related("focus_area")
        self.fields["goal"].label = gettext_lazy("Goal")
        _choice(self, "strategy").queryset = Strategy.objects.filter(goal__plan=plan)
        _choice(self, "responsible").queryset = plan.agency.team.order_by("name")
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
        _choice(self, "goal").queryset = plan.goals.select_related("focus_area")
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
        data = super().clean()
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


# --- Municipal library plans -------------------------------------------------------------------


def region_municipalities(agency: Agency | None) -> Any:
    return (
        Municipality.objects.filter(county__in=agency_county_ids(agency))
        .select_related("county")
        .order_by("name")
    )


class MunicipalPlanForm(PeriodMixin, DocumentMixin, forms.ModelForm):
    starts_year = year_field(gettext_lazy("First year"))
    ends_year = year_field(
        gettext_lazy("Last year"),
        required=False,
        help_text=gettext_lazy("Leave empty if the plan has no end."),
    )

    class Meta:
        model = MunicipalPlan
        fields = [
            "municipality",
            "title",
            "starts_year",
            "ends_year",
            "adopted_on",
            "adopted_by",
            "url",
            "document",
            "covers_school_libraries",
            "notes",
        ]
        widgets = {"adopted_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "municipality": {
                "invalid_choice": gettext_lazy("Choose a municipality in your agency's region.")
            }
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_document()
        _choice(self, "municipality").queryset = region_municipalities(agency)
        self.fields["municipality"].label = gettext_lazy("Municipality")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_period(data)
        return data

    def plan_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "document"}


STATUS_FILTERS = [
    ("", gettext_lazy("All")),
    *MunicipalPlanStatus.choices,
    ("expires_soon", gettext_lazy("Expires soon")),
    ("period_over", gettext_lazy("Period over, still current")),
]


class RegisterFilterForm(forms.Form):
    year = year_field(gettext_lazy("Status in the year"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_FILTERS)
    county = forms.ModelChoiceField(
        label=gettext_lazy("County"),
        queryset=County.objects.none(),
        required=False,
        empty_label=gettext_lazy("All counties"),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "county").queryset = County.objects.filter(pk__in=agency_county_ids(agency))
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)


# --- Annual dialogues ----------------------------------------------------------------------------


class DialogueTemplateForm(forms.ModelForm):
    class Meta:
        model = DialogueTemplate
        fields = ["title", "questions", "is_active"]
        widgets = {"questions": forms.Textarea(attrs={"rows": 8})}

    def clean_questions(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one question."))
        return "\n".join(lines)


class DialogueFilterForm(forms.Form):
    year = year_field(gettext_lazy("Year"), required=False)


class TeamUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name or obj.email


class HoursField(forms.DecimalField):
    """Hours as consultants write them: "1,5", "1.5" or "2"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", ".")
        return super().to_python(value)


class DialogueForm(forms.ModelForm):
    """The dialogue, the answers to its template's questions (`answer_<n>`) and the status per
    goal of the plans in force in its year (`goal_<id>`, `goal_<id>_comment`)."""

    year = year_field(gettext_lazy("Year"))
    consultant = TeamUserChoiceField(
        label=gettext_lazy("Consultant"), queryset=Municipality.objects.none(), required=False
    )
    hours = HoursField(
        label=gettext_lazy("Time spent (hours)"),
        required=False,
        min_value=limits.HOURS_SPENT[0],
        max_value=limits.HOURS_SPENT[1],
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("In hours, e.g. 1.5 for an hour and a half."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = Dialogue
        fields = [
            "municipality",
            "year",
            "date",
            "template",
            "participants",
            "consultant",
            "hours",
            "summary",
            "internal_notes",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "municipality": {
                "invalid_choice": gettext_lazy("Choose a municipality in your agency's region.")
            }
        }

    def __init__(
        self,
        *args: Any,
        agency: Agency,
        template: DialogueTemplate | None,
        goals: list[Goal],
        statuses: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        _choice(self, "municipality").queryset = region_municipalities(agency)
        self.fields["municipality"].label = gettext_lazy("Municipality")
        _choice(self, "template").queryset = DialogueTemplate.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.template_id), agency=agency
        )
        self.fields["template"].label = gettext_lazy("Template")
        self.fields["template"].help_text = gettext_lazy(
            "To answer another template's questions, choose it and press “Show the questions”."
        )
        _choice(self, "consultant").queryset = agency.team_users()
        self.fields["year"].help_text = gettext_lazy(
            "The goals below are those of your plans in force that year. After changing the "
            "year, press “Show the questions” to see its goals."
        )
        self.questions = template.question_list if template is not None else []
        previous = {
            item.get("question"): item.get("answer", "")
            for item in (self.instance.answers if self.instance.pk else [])
        }
        self.answer_names = []
        for index, question in enumerate(self.questions):
            name = f"answer_{index}"
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                max_length=limits.SUMMARY_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(name, previous.get(question, ""))
            self.answer_names.append(name)
        self.goals = goals
        statuses = statuses or {}
        self.goal_names = []
        for goal in goals:
            name = f"goal_{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=str(goal),
                required=False,
                choices=[("", gettext_lazy("Not discussed")), *GoalProgress.choices],
            )
            self.fields[f"{name}_comment"] = forms.CharField(
                label=gettext_lazy("Comment on %(goal)s") % {"goal": str(goal)},
                required=False,
                max_length=500,
            )
            current = statuses.get(goal.pk)
            if current is not None:
                self.initial.setdefault(name, current.status)
                self.initial.setdefault(f"{name}_comment", current.comment)
            self.goal_names.append((goal, name))

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.Meta.fields]

    def answer_fields(self) -> list[Any]:
        return [self[name] for name in self.answer_names]

    def goal_fields(self) -> list[tuple[Goal, Any, Any]]:
        return [(goal, self[name], self[f"{name}_comment"]) for goal, name in self.goal_names]

    def dialogue_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.answer_names]

    def goal_statuses(self) -> list[tuple[Goal, str, str]]:
        return [
            (goal, self.cleaned_data.get(name) or "", self.cleaned_data.get(f"{name}_comment", ""))
            for goal, name in self.goal_names
        ]
