"""Forms of the projects module. They validate input; the services in `services/` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core.files import check_upload
from bokbro.core.forms import model_choice
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Library, Municipality
from bokbro.events.forms.economy import AmountField
from bokbro.plans.tagging import PlanGoalsField, add_plan_goals
from bokbro.projects.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Document,
    Funder,
    FundingLine,
    Measure,
    Partner,
    Project,
    ProjectStatus,
    StatusReport,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "odp", "txt", "png", "jpg", "jpeg")
DOCUMENT_LIST = "PDF, DOCX, XLSX, PPTX, ODT, ODP, TXT, PNG, JPG"
PERIOD_ERROR = gettext_lazy("The end date is before the start date.")


def _check_period(form: forms.BaseForm, data: dict[str, Any]) -> None:
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        form.add_error("ends_on", PERIOD_ERROR)


def _amount_fields(form: forms.BaseForm, currency: str, *names: str) -> None:
    """Amounts typed the way people write them ("300 000", "12 000,50"), in the currency."""
    for name in names:
        field = form.fields[name]
        field.localize = True
        field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        field.widget.is_localized = True
        field.label = gettext_lazy("%(label)s (%(currency)s)") % {
            "label": field.label,
            "currency": currency,
        }


class ProjectFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *ProjectStatus.choices],
    )
    year = forms.IntegerField(
        label=gettext_lazy("Running in the year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)


class ProjectForm(forms.ModelForm):
    plan_goals = PlanGoalsField()

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "description",
            "goals",
            "plan_goals",
            "status",
            "starts_on",
            "ends_on",
            "lead_organisation",
            "contact",
            "internal_notes",
            "is_published",
            "public_summary",
            "public_partners",
            "public_measures",
            "public_results",
            "public_funding",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "internal_notes": forms.Textarea(attrs={"rows": 4}),
            "public_summary": forms.Textarea(attrs={"rows": 5}),
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "contact").queryset = agency.team.order_by("name")
        add_plan_goals(self, agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self, data)
        return data


# --- Partners ----------------------------------------------------------------------------------


def partner_places(project: Project) -> list[int]:
    """The counties whose libraries and municipalities may be partners: the owner's and those of
    every partner agency (add the partner agency first to choose its libraries)."""
    county_ids = set(agency_county_ids(project.agency))
    for agency in Agency.objects.filter(project_partnerships__project=project):
        county_ids.update(agency.counties.values_list("id", flat=True))
    return sorted(county_ids)


class PartnerForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("The partner is"),
        choices=[
            ("library", gettext_lazy("A library")),
            ("municipality", gettext_lazy("A municipality")),
            ("agency", gettext_lazy("Another agency")),
            ("external", gettext_lazy("An organisation outside Bokbro")),
        ],
        initial="library",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Partner
        fields = [
            "kind",
            "library",
            "municipality",
            "agency",
            "external_name",
            "external_kind",
            "country",
            "contact",
            "role",
            "results",
            "transfer_value",
        ]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 4}),
            "transfer_value": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "library": {"invalid_choice": gettext_lazy("This library is unknown. Choose one.")},
            "municipality": {
                "invalid_choice": gettext_lazy("This municipality is unknown. Choose one.")
            },
            "agency": {"invalid_choice": gettext_lazy("This agency is unknown. Choose one.")},
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        counties = partner_places(project)
        model_choice(self, "library").queryset = (
            Library.objects.filter(is_active=True).in_county_ids(counties).order_by("name")
        )
        model_choice(self, "municipality").queryset = Municipality.objects.filter(
            county__in=counties
        ).order_by("name")
        model_choice(self, "agency").queryset = Agency.objects.exclude(pk=project.agency_id)
        self.fields["role"].help_text = gettext_lazy(
            "Model libraries and pilots record their results and transfer value."
        )
        self.fields["external_name"].label = gettext_lazy("Name of the organisation")
        self.fields["external_name"].help_text = gettext_lazy(
            "Only for a partner outside Bokbro: another county library, a university, a foundation."
        )
        self.fields["external_kind"].label = gettext_lazy("Kind of organisation")

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in {"library", "municipality", "agency"}:
            if not data.get(kind) and kind not in self.errors:
                self.add_error(kind, _("Choose the partner."))
            for other in {"library", "municipality", "agency"} - {kind}:
                data[other] = None
            for external in ("external_name", "external_kind", "country", "contact"):
                data[external] = ""
        elif kind == "external":
            for other in ("library", "municipality", "agency"):
                data[other] = None
            data["external_name"] = (data.get("external_name") or "").strip()
            if not data["external_name"] and "external_name" not in self.errors:
                self.add_error("external_name", _("Write the organisation's name."))
            if not data.get("external_kind") and "external_kind" not in self.errors:
                self.add_error("external_kind", _("Choose what kind of organisation it is."))
        return data


class PartnerEditForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["role", "results", "transfer_value"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 5}),
            "transfer_value": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_external:
            # A partner outside Bokbro keeps its contact up to date here.
            field = Partner._meta.get_field("contact")
            self.fields["contact"] = forms.CharField(
                label=field.verbose_name,
                help_text=field.help_text,
                max_length=300,
                required=False,
            )
            self.initial["contact"] = self.instance.contact


# --- Measures, funding, reports ----------------------------------------------------------------


class MeasureForm(forms.ModelForm):
    plan_goals = PlanGoalsField(
        help_text=gettext_lazy(
            "The goals this measure serves besides the project's; the plan's follow-up and the "
            "annual report count it there."
        )
    )

    class Meta:
        model = Measure
        fields = ["title", "description", "owner", "starts_on", "ends_on", "status", "plan_goals"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_plan_goals(self, project.agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self, data)
        return data


class FundingLineForm(forms.ModelForm):
    new_funder = forms.CharField(
        label=gettext_lazy("Or a new source"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Adds the source to your agency's list of funders."),
    )

    class Meta:
        model = FundingLine
        fields = [
            "funder",
            "new_funder",
            "partner",
            "year",
            "applied",
            "granted",
            "reported",
            "note",
        ]
        field_classes = {"applied": AmountField, "granted": AmountField, "reported": AmountField}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "funder").queryset = Funder.objects.filter(agency=project.agency)
        model_choice(self, "partner").queryset = Partner.objects.filter(project=project).for_list()
        self.fields["partner"].help_text = gettext_lazy(
            "The partner the money or staff time comes from, e.g. a foundation or a university: "
            "the line is shown and reported under its name, in the column the source says."
        )
        self.fields["partner"].error_messages["invalid_choice"] = gettext_lazy(
            "Choose one of the project's partners."
        )
        self.fields["funder"].required = False
        self.fields["funder"].error_messages["invalid_choice"] = gettext_lazy(
            "This source is unknown. Choose one from the list."
        )
        _amount_fields(self, project.currency, "applied", "granted", "reported")
        if not self.instance.pk and project.starts_on:
            self.initial.setdefault("year", project.starts_on.year)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_source = not data.get("funder") and not data.get("new_funder", "").strip()
        if no_source and "funder" not in self.errors:
            self.add_error("funder", _("Choose a source, or write the name of a new one."))
        return data


class ReportForm(forms.ModelForm):
    class Meta:
        model = StatusReport
        fields = ["year", "funder", "due_on", "submitted_on", "note"]
        widgets = {
            "due_on": DATE_WIDGET,
            "submitted_on": DATE_WIDGET,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "funder").queryset = Funder.objects.filter(
            agency=project.agency, is_own=False
        )
        self.fields["due_on"].help_text = gettext_lazy(
            "The contact person gets a reminder by e-mail two weeks before."
        )


class FunderForm(forms.ModelForm):
    class Meta:
        model = Funder
        fields = ["name", "is_own", "min_own_share", "min_applied"]
        field_classes = {"min_applied": AmountField}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _amount_fields(self, agency.currency, "min_applied")
        self.fields["min_own_share"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["min_own_share"].localize = True


# --- Documents ---------------------------------------------------------------------------------


def report_label(report: StatusReport) -> str:
    due = formats.date_format(report.due_on, "SHORT_DATE_FORMAT")
    return _("%(year)s, due %(due)s") % {"year": report.year, "due": due}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file", "report"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "report").queryset = project.reports.select_related("funder")
        model_choice(self, "report").label_from_instance = report_label  # type: ignore[method-assign,assignment]
        self.fields["report"].required = False
        self.fields["file"].help_text = gettext_lazy("At most 20 MB. Allowed types: %(types)s.") % {
            "types": DOCUMENT_LIST
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in DOCUMENT_TYPES)

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data.get("file"),
            types=DOCUMENT_TYPES,
            type_list=DOCUMENT_LIST,
            refusal=_("Files of this type cannot be stored. Allowed types: %(types)s."),
        )
