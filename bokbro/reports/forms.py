"""Forms of the follow-up and the annual report. They validate input; `services.py` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.core.forms import choice
from bokbro.plans.models import Plan

FIRST_YEAR, LAST_YEAR = limits.YEARS


class YearPlanForm(forms.Form):
    """Which year, and which of the agency's plans (GET)."""

    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    plan = forms.TypedChoiceField(label=_("Plan"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, plans: list[Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "plan").choices = [
            (plan.pk, f"{plan.title} ({plan.period})") for plan in plans
        ]
        self.fields["year"].widget.attrs["inputmode"] = "numeric"

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year

    def chosen_plan_id(self) -> int | None:
        if self.is_valid():
            return self.cleaned_data.get("plan")
        return None


class ReportTextsForm(forms.Form):
    """One text box per section of the year's report (Markdown)."""

    def __init__(
        self, *args: Any, sections: list[tuple[str, Any]], texts: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for index, (key, title) in enumerate(sections):
            self.fields[f"section_{index}"] = forms.CharField(
                label=title,
                required=False,
                max_length=limits.SECTION_LENGTH,
                initial=texts.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Markdown: **bold**, lists, links."),
            )

    def texts(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(f"section_{index}", "")
            for index, (key, _title) in enumerate(self.sections)
        }
