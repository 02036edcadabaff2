"""Municipal library plans and the register's filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, County
from bokbro.plans.forms.common import (
    DATE_WIDGET,
    DocumentMixin,
    PeriodMixin,
    choice_field,
    region_municipalities,
    year_field,
)
from bokbro.plans.models import (
    MunicipalPlan,
    MunicipalPlanStatus,
)
from bokbro.plans.services.municipal import MunicipalPlanFields


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
        choice_field(self, "municipality").queryset = region_municipalities(agency)
        self.fields["municipality"].label = gettext_lazy("Municipality")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_period(data)
        return data

    def plan_fields(self) -> MunicipalPlanFields:
        data = self.cleaned_data
        return MunicipalPlanFields(
            municipality=data["municipality"],
            title=data["title"],
            starts_year=data["starts_year"],
            ends_year=data["ends_year"],
            adopted_on=data["adopted_on"],
            adopted_by=data["adopted_by"],
            url=data["url"],
            covers_school_libraries=data["covers_school_libraries"],
            notes=data["notes"],
        )


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
        choice_field(self, "county").queryset = County.objects.filter(
            pk__in=agency_county_ids(agency)
        )
        self.fields["year"].widget.attrs["placeholder"] = str(timezone.localdate().year)
