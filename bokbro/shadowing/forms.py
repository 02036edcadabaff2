from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.core.forms import model_choice
from bokbro.directory.models import Library
from bokbro.shadowing.models import Application, Offer


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "host_library",
            "topics",
            "description",
            "starts_on",
            "ends_on",
            "apply_by",
            "places",
            "language",
            "contact_name",
            "contact_email",
            "open_to_other_agencies",
            "project",
            "report_survey",
        ]
        widgets = {
            "starts_on": date_widget(),
            "ends_on": date_widget(),
            "apply_by": date_widget(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(
        self,
        *args: Any,
        libraries: Any,
        agency_may_host: bool,
        projects: Any = None,
        surveys: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "host_library")
        field.queryset = libraries
        field.required = not agency_may_host
        if agency_may_host:
            field.empty_label = str(_("The agency itself"))
        if projects is None:
            del self.fields["project"]  # the agency's team chooses the project
        else:
            model_choice(self, "project").queryset = projects
        if surveys is None:
            del self.fields["report_survey"]  # and the survey
        else:
            model_choice(self, "report_survey").queryset = surveys

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, apply_by = data.get("starts_on"), data.get("ends_on"), data.get("apply_by")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The period must end on or after its first day."))
        elif ends and apply_by and apply_by > ends:
            self.add_error("apply_by", _("The last day to apply must be before the stay ends."))
        return data


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["library", "motivation", "travel_support_asked"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, libraries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice(self, "library")
        field.queryset = libraries
        field.empty_label = None


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("approve", _("I consent")), ("decline", _("I do not consent"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=limits.SUMMARY_LENGTH,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept the guest")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        label=_("First day"),
        widget=date_widget(),
        required=False,
        help_text=_("Empty: the offer's first day."),
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=date_widget(),
        required=False,
        help_text=_("Empty: the offer's last day."),
    )
    answer = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=limits.SUMMARY_LENGTH,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            if day and not (limits.DAYS[0] <= day <= limits.DAYS[1]):
                self.add_error(name, limits.YEAR_MESSAGE)
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The stay must end on or after its first day."))
        return data


class TravelForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Travel support granted"),
        max_digits=10,
        decimal_places=2,
        min_value=limits.AMOUNTS[0],
        max_value=limits.AMOUNTS[1],
        required=False,
        help_text=_("Empty: no travel support."),
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Your report"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.NOTES_LENGTH,
        help_text=_("A few lines: what you saw, what you learnt, what you will try at home."),
    )


def libraries_of(person: Any) -> Any:
    return Library.objects.filter(roles__person=person).distinct().order_by("name")
