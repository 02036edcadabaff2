"""The class sets' forms: the public catalogue's filters and the booking form, and the staff's
title, set, check-out and check-in forms. The booking rules themselves live in
services.validate_request, shared with the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.classsets.models import (
    COVER_TYPES,
    GradeBand,
    HolidayPeriod,
    Language,
    Settings,
    Theme,
    Title,
    Weekday,
)
from bokbro.classsets.selectors import renewal_limit
from bokbro.core.files import check_upload, extension
from bokbro.core.forms import model_choice
from bokbro.core.isbn import normalise_isbn
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import (
    Agency,
    Library,
    LibraryKind,
    Organisation,
    OrganisationKind,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def schools_of(agency: Agency) -> Any:
    """The schools a booking can name: schools in the municipalities of the agency's region."""
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.SCHOOL,
            municipality__county__in=agency_county_ids(agency),
        )
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def delivery_libraries_of(agency: Agency) -> Any:
    """The main libraries of the region: where class sets are delivered."""
    counties = agency_county_ids(agency)
    return (
        Library.objects.filter(
            Q(municipality__county__in=counties) | Q(county__in=counties),
            kind__in=[LibraryKind.MAIN, LibraryKind.COMBINED],
            is_active=True,
        )
        .select_related("municipality")
        .order_by("name")
    )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Title, author or ISBN."),
    )
    grade = forms.ChoiceField(
        label=gettext_lazy("Grades"),
        required=False,
        choices=[("", gettext_lazy("All grades")), *GradeBand.choices],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("All languages")), *Language.choices],
    )
    theme = forms.ModelChoiceField(
        label=gettext_lazy("Theme"),
        required=False,
        queryset=Theme.objects.none(),
        empty_label=gettext_lazy("All themes"),
    )
    easy = forms.BooleanField(label=gettext_lazy("Only easy-to-read books"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "theme").queryset = Theme.objects.filter(agency=agency)


class TitleForm(forms.ModelForm):
    grade_bands = forms.MultipleChoiceField(
        label=gettext_lazy("Grades"),
        required=False,
        choices=GradeBand.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Title
        fields = [
            "isbn",
            "title",
            "author",
            "publisher",
            "year",
            "language",
            "easy_to_read",
            "has_audiobook",
            "has_ebook",
            "grade_bands",
            "themes",
            "summary",
            "cover",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        isbn = self.fields["isbn"]
        assert isinstance(isbn, forms.CharField)
        isbn.max_length = 20
        isbn.validators = []
        isbn.widget.attrs["maxlength"] = 20
        model_choice(self, "themes").queryset = Theme.objects.filter(agency=agency)
        self.fields["cover"].widget.attrs["accept"] = ",".join(f".{e}" for e in COVER_TYPES)
        if self.instance.pk:
            self.initial["grade_bands"] = self.instance.grade_list

    def clean_isbn(self) -> str:
        return normalise_isbn(self.cleaned_data["isbn"])

    def clean_cover(self) -> Any:
        return check_upload(
            self.cleaned_data.get("cover"),
            types=COVER_TYPES,
            type_list="PNG, JPG",
            refusal=_("A cover must be a picture. Allowed types: %(types)s."),
        )

    def _post_clean(self) -> None:
        # The service validates the model (with the grade codes joined); skip ModelForm's.
        pass


class ClassSetForm(forms.Form):
    copies = forms.IntegerField(label=gettext_lazy("Copies"), min_value=1, max_value=200)
    home_library = forms.ModelChoiceField(
        label=gettext_lazy("Kept at"),
        required=False,
        queryset=Library.objects.none(),
        empty_label=gettext_lazy("At the agency"),
    )
    condition_note = forms.CharField(
        label=gettext_lazy("Condition"), required=False, max_length=300
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "home_library").queryset = delivery_libraries_of(agency)


class BookingFieldsForm(forms.Form):
    """The booking form's fields, the school and the library as ids: what the API's quick
    refusal checks without a query (classsets/facts.py reads the rest)."""

    copies = forms.IntegerField(
        label=gettext_lazy("Number of copies"),
        help_text=gettext_lazy("Usually one for each pupil."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("Delivered by"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("The day the books should be at the library."),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Returned by"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy("The day the books are back at the library."),
    )
    school = forms.IntegerField(label=gettext_lazy("School"))
    class_name = forms.CharField(
        label=gettext_lazy("Class or grade"),
        max_length=60,
        help_text=gettext_lazy("For example 6B."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=gettext_lazy("Your e-mail"),
        help_text=gettext_lazy("We send the link to confirm the booking here."),
    )
    delivery_library = forms.IntegerField(label=gettext_lazy("Deliver to library"))


class BookingForm(BookingFieldsForm):
    school = forms.ModelChoiceField(  # type: ignore[assignment]
        label=gettext_lazy("School"), queryset=Organisation.objects.none()
    )
    delivery_library = forms.ModelChoiceField(  # type: ignore[assignment]
        label=gettext_lazy("Deliver to library"), queryset=Library.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "school").queryset = schools_of(agency)
        model_choice(self, "delivery_library").queryset = delivery_libraries_of(agency)
        self.fields["school"].label_from_instance = (  # type: ignore[attr-defined]
            lambda school: f"{school.name} ({school.municipality.name})"
        )


class CheckOutForm(forms.Form):
    copies = forms.IntegerField(label=gettext_lazy("Copies sent"), min_value=1, max_value=200)


class CheckInForm(forms.Form):
    copies = forms.IntegerField(label=gettext_lazy("Copies back"), min_value=0, max_value=200)
    note = forms.CharField(
        label=gettext_lazy("What happened to the missing copies"), required=False, max_length=300
    )


class RouteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the route"), max_length=100)
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day the courier drives"),
        choices=[("", gettext_lazy("Varies")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    libraries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Libraries on the route"),
        queryset=Library.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["libraries"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = delivery_libraries_of(agency)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Settings
        fields = ["default_weeks", "max_weeks", "hold_hours", "replacement_price", "offer_days"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default, longest = data.get("default_weeks"), data.get("max_weeks")
        if default is not None and longest is not None and longest < default:
            self.add_error("max_weeks", _("The longest loan cannot be shorter than the usual one."))
        if longest is not None and longest > 52:
            self.add_error("max_weeks", _("A loan can last at most a year (52 weeks)."))
        if default is not None and default < 1:
            self.add_error("default_weeks", _("A loan lasts at least a week."))
        offer = data.get("offer_days")
        if offer is not None and not 1 <= offer <= 30:
            self.add_error("offer_days", _("From 1 to 30 days."))
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = HolidayPeriod
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", _("The last day is before the first."))
        return data


MAX_IMPORT_SIZE = 5 * 1024 * 1024


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file (CSV or XLSX)"),
        help_text=gettext_lazy("One row per title, in the columns of the export."),
    )

    def clean_file(self) -> tuple[str, bytes]:
        """The file's name and content: a CSV or XLSX file of at most 5 MB."""
        upload = self.cleaned_data["file"]
        if extension(upload.name) not in ("csv", "xlsx"):
            raise forms.ValidationError(_("Upload a CSV or XLSX file."))
        if upload.size > MAX_IMPORT_SIZE:
            raise forms.ValidationError(_("The file can be at most 5 MB."))
        return str(upload.name), bytes(upload.read())


class BasketForm(BookingForm):
    """The booking form for several titles: a number of copies for each title in the basket,
    then the fields the bookings share."""

    def __init__(self, *args: Any, agency: Agency, titles: list[Title], **kwargs: Any) -> None:
        super().__init__(*args, agency=agency, **kwargs)
        del self.fields["copies"]
        names = []
        for title in titles:
            name = f"copies_{title.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Copies of “%(title)s”") % {"title": title.title},
                min_value=1,
                max_value=200,
            )
            names.append(name)
        self.order_fields(names)


class RenewForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("New return date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, booking: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = renewal_limit(booking)
        self.fields["ends_on"].help_text = _("At the latest %(date)s.") % {
            "date": limit.strftime("%d.%m.%Y")
        }
        self.fields["ends_on"].widget.attrs["max"] = limit.isoformat()
