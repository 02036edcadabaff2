"""Annual dialogues and the agency's templates for them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core import limits
from bokbro.directory.models import Agency, Municipality
from bokbro.plans.forms.common import (
    DATE_WIDGET,
    choice_field,
    region_municipalities,
    year_field,
)
from bokbro.plans.models import (
    Dialogue,
    DialogueTemplate,
    Goal,
    GoalProgress,
)
from bokbro.plans.services.dialogues import DialogueFields, DialogueTemplateFields


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

    def template_fields(self) -> DialogueTemplateFields:
        data = self.cleaned_data
        return DialogueTemplateFields(
            title=data["title"], questions=data["questions"], is_active=data["is_active"]
        )


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
        choice_field(self, "municipality").queryset = region_municipalities(agency)
        self.fields["municipality"].label = gettext_lazy("Municipality")
        choice_field(self, "template").queryset = DialogueTemplate.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.template_id), agency=agency
        )
        self.fields["template"].label = gettext_lazy("Template")
        self.fields["template"].help_text = gettext_lazy(
            "To answer another template's questions, choose it and press “Show the questions”."
        )
        choice_field(self, "consultant").queryset = agency.team_users()
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

    def dialogue_fields(self) -> DialogueFields:
        data = self.cleaned_data
        return DialogueFields(
            municipality=data["municipality"],
            year=data["year"],
            date=data["date"],
            template=data.get("template"),
            participants=data.get("participants", ""),
            consultant=data.get("consultant"),
            hours=data.get("hours"),
            summary=data.get("summary", ""),
            internal_notes=data.get("internal_notes", ""),
        )

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.answer_names]

    def goal_statuses(self) -> list[tuple[Goal, str, str]]:
        return [
            (goal, self.cleaned_data.get(name) or "", self.cleaned_data.get(f"{name}_comment", ""))
            for goal, name in self.goal_names
        ]
