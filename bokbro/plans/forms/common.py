"""What the plans module's forms share: numbers, years, periods, the plan document and the
region's municipalities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core import limits
from bokbro.core.files import check_upload
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality

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


def choice_field(form: forms.BaseForm, name: str) -> Any:
    return form.fields[name]


def region_municipalities(agency: Agency | None) -> Any:
    return (
        Municipality.objects.filter(county__in=agency_county_ids(agency))
        .select_related("county")
        .order_by("name")
    )
