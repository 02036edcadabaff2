"""The mobile library's staff forms. A visit's rule is chosen from plain choices (every N weeks
on the weekday of the first visit; the Nth weekday of the month) or typed as an RRULE."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.core.files import extension
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality
from bokbro.mobile import recurrence
from bokbro.mobile.models import (
    COUNTS,
    ExtraVisit,
    Route,
    SchoolHoliday,
    Stop,
    StopKind,
    Term,
    Vehicle,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_IMPORT_SIZE = 5 * 1024 * 1024
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["name", "operator", "contact", "accessibility"]


class RouteForm(forms.ModelForm):
    class Meta:
        model = Route
        fields = ["vehicle", "name"]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["name"].help_text = _("For example: Tuesday, week 1.")


class StopForm(forms.ModelForm):
    class Meta:
        model = Stop
        fields = [
            "name",
            "kind",
            "municipality",
            "community",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "note",
        ]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            county_id__in=agency_county_ids(agency)
        ).order_by("name")
        field.required = True


class Pattern:
    WEEKS = "weeks"
    MONTH = "month"
    RULE = "rule"


ORDINALS = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]


class VisitForm(forms.ModelForm):
    pattern = forms.ChoiceField(
        label=_("Repeats"),
        choices=[
            (Pattern.WEEKS, _("Every N weeks, on the weekday of the first visit")),
            (Pattern.MONTH, _("The Nth weekday of the month (the weekday of the first visit)")),
            (Pattern.RULE, _("An iCalendar rule (RRULE) I type")),
        ],
        widget=forms.RadioSelect,
        initial=Pattern.WEEKS,
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=12, initial=2, required=False
    )
    ordinal = forms.ChoiceField(
        label=_("Which weekday of the month"), choices=ORDINALS, required=False
    )

    class Meta:
        model = Visit
        fields = ["term", "stop", "arrival", "departure", "starts_on", "ends_on", "rule"]
        widgets = {
            "arrival": TIME,
            "departure": TIME,
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = Stop.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["term"].queryset = Term.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["rule"].required = False
        self.fields["rule"].label = _("Rule (RRULE)")
        self.order_fields(
            [
                "term",
                "stop",
                "arrival",
                "departure",
                "starts_on",
                "ends_on",
                "pattern",
                "interval",
                "ordinal",
                "rule",
            ]
        )
        if self.instance.pk and not self.is_bound:
            self.initial["pattern"] = Pattern.RULE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        arrival, departure = data.get("arrival"), data.get("departure")
        if arrival and departure and departure < arrival:
            self.add_error("departure", _("The mobile library cannot leave before it arrives."))
        starts_on = data.get("starts_on")
        pattern = data.get("pattern")
        if starts_on is None or pattern is None:
            return data
        code = recurrence.DAY_CODES[starts_on.weekday()]
        if pattern == Pattern.WEEKS:
            interval = data.get("interval")
            if not interval:
                self.add_error("interval", _("Enter every how many weeks."))
                return data
            data["rule"] = f"FREQ=WEEKLY;INTERVAL={interval}"
        elif pattern == Pattern.MONTH:
            ordinal = data.get("ordinal")
            if not ordinal:
                self.add_error("ordinal", _("Choose which weekday of the month."))
                return data
            data["rule"] = f"FREQ=MONTHLY;BYDAY={ordinal}{code}"
        elif not (data.get("rule") or "").strip():
            self.add_error("rule", _("Enter a rule, for example FREQ=WEEKLY;INTERVAL=2."))
            return data
        self.instance.rule = data["rule"]
        return data


class CancelForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown on the timetable, for example: the bus is at the garage."),
    )


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on", "publish_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "publish_on": DATE}


class TermCopyForm(forms.ModelForm):
    """The new term a copy makes: its name and days (a draft; publish it on the terms page)."""

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class HolidayForm(forms.ModelForm):
    class Meta:
        model = SchoolHoliday
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Timetable file (CSV)"),
        help_text=_("The Libraries Hacked mobile library schema, one row per stop visit."),
    )

    def clean_file(self) -> str:
        """The file's text: a CSV file of at most 5 MB in UTF-8."""
        upload = self.cleaned_data["file"]
        if extension(upload.name) != "csv":
            raise forms.ValidationError(_("Upload a CSV file (its name ends in .csv)."))
        if upload.size > MAX_IMPORT_SIZE:
            raise forms.ValidationError(_("The file can be at most 5 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again.")
            ) from error


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "We send a mail a few days before each visit and at once if one is cancelled, "
            "until you stop following. Every mail has a link to stop in one click."
        ),
    )


class ExtraVisitForm(forms.ModelForm):
    class Meta:
        model = ExtraVisit
        fields = ["stop", "date", "arrival", "departure", "reason"]
        widgets = {"date": DATE, "arrival": TIME, "departure": TIME}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stop"].queryset = Stop.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["reason"].help_text = _(
            "Shown on the timetable and in the mail to those who follow the stop, for example: "
            "extra visit in the winter holiday."
        )


class CountForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    loans = forms.IntegerField(label=_("Loans"), min_value=0, max_value=COUNTS[1], initial=0)
    returns = forms.IntegerField(label=_("Returns"), min_value=0, max_value=COUNTS[1], initial=0)
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=COUNTS[1], initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the visit's page also has the cancellation form, with a date too.
        kwargs.setdefault("auto_id", "count_%s")
        super().__init__(*args, **kwargs)


class PauseKindsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Stop types the mobile library does not visit in the school holidays"),
        choices=StopKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
