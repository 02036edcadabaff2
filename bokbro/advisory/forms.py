"""Forms of the advisory log. They validate input; the services in `services.py` write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bokbro.advisory.models import Consultation, ConsultationKind, FollowUp, PlannedVisit, Topic
from bokbro.core import limits
from bokbro.core.forms import model_choice
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Library, Municipality, Person
from bokbro.plans.tagging import PlanGoalsField, add_plan_goals

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_USERS = get_user_model().objects.none()
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def region_libraries(agency: Agency | None) -> Any:
    return (
        Library.objects.in_county_ids(agency_county_ids(agency))
        .select_related("municipality")
        .order_by("name")
    )


def region_municipalities(agency: Agency | None) -> Any:
    return Municipality.objects.filter(county__in=agency_county_ids(agency)).order_by("name")


def region_people(agency: Agency | None) -> Any:
    """The people the agency's staff may see: those at the region's libraries and
    organisations, and those the agency registered (as `directory.access.people_visible_to`)."""
    counties = agency_county_ids(agency)
    return (
        Person.objects.filter(
            Q(library_roles__library__municipality__county__in=counties)
            | Q(library_roles__library__county__in=counties)
            | Q(organisation__municipality__county__in=counties)
            | Q(created_by_agency=agency)
        )
        .distinct()
        .order_by("name")
    )


class HoursField(forms.DecimalField):
    """Hours as consultants write them: "1,5", "1.5" or "2"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace(",", ".")
        return super().to_python(value)


class TeamUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name or obj.email


class LibraryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.municipality_id and obj.municipality.name not in obj.name:
            return f"{obj.name} ({obj.municipality.name})"
        return obj.name


class ConsultationFilterForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    consultant = TeamUserChoiceField(label=_("Consultant"), queryset=NO_USERS, required=False)
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *ConsultationKind.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["library"].queryset = region_libraries(agency)
        fields["municipality"].queryset = region_municipalities(agency)
        fields["consultant"].queryset = agency.team_users()
        fields["topic"].queryset = Topic.objects.filter(agency=agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data

    def filter(self, consultations: Any) -> Any:
        if not self.is_valid():
            return consultations
        data = self.cleaned_data
        if data["library"]:
            consultations = consultations.filter(libraries=data["library"])
        if data["municipality"]:
            consultations = consultations.filter(
                Q(municipalities=data["municipality"])
                | Q(libraries__municipality=data["municipality"])
            )
        if data["consultant"]:
            consultations = consultations.filter(consultant=data["consultant"])
        if data["topic"]:
            consultations = consultations.filter(topics=data["topic"])
        if data["kind"]:
            consultations = consultations.filter(kind=data["kind"])
        if data["date_from"]:
            consultations = consultations.filter(date__gte=data["date_from"])
        if data["date_to"]:
            consultations = consultations.filter(date__lte=data["date_to"])
        if q := data["q"].strip():
            consultations = consultations.filter(
                Q(summary__icontains=q) | Q(internal_notes__icontains=q)
            )
        return consultations.distinct()


class ConsultationForm(forms.ModelForm):
    libraries = LibraryChoiceField(
        label=_("Libraries"),
        queryset=Library.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or several."),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When the contact was with the municipality rather than a library."),
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People involved"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consultant = TeamUserChoiceField(label=_("Consultant"), queryset=NO_USERS)
    plan_goals = PlanGoalsField()
    hours = HoursField(
        label=_("Time spent (hours)"),
        required=False,
        min_value=limits.HOURS_SPENT[0],
        max_value=limits.HOURS_SPENT[1],
        max_digits=5,
        decimal_places=2,
        help_text=_("In hours, e.g. 1.5 for an hour and a half."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = Consultation
        fields = [
            "date",
            "kind",
            "consultant",
            "libraries",
            "municipalities",
            "people",
            "topics",
            "plan_goals",
            "event",
            "hours",
            "summary",
            "internal_notes",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 5}),
            "internal_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from bokbro.events.models import Event

        fields: Any = self.fields
        fields["libraries"].queryset = region_libraries(agency)
        fields["municipalities"].queryset = region_municipalities(agency)
        fields["people"].queryset = region_people(agency)
        chosen = self.instance.topics.all() if self.instance.pk else Topic.objects.none()
        fields["topics"].queryset = Topic.objects.filter(
            Q(agency=agency, is_active=True) | Q(pk__in=chosen.values("pk"))
        )
        fields["consultant"].queryset = agency.team_users()
        fields["event"].queryset = Event.objects.owned_by(agency).order_by("-starts_at")
        fields["event"].required = False
        add_plan_goals(self, agency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("libraries") and not data.get("municipalities"):
            self.add_error("libraries", _("Choose at least one library or municipality."))
        return data


class FollowUpForm(forms.ModelForm):
    owner = TeamUserChoiceField(label=_("Responsible"), queryset=NO_USERS)

    class Meta:
        model = FollowUp
        fields = ["what", "due_date", "owner"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "owner").queryset = agency.team_users()


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class TourForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    consultant = TeamUserChoiceField(label=_("Consultant"), queryset=NO_USERS)
    starts_on = forms.DateField(
        label=_("First day"), validators=limits.in_years(), widget=DATE_WIDGET
    )
    ends_on = forms.DateField(label=_("Last day"), validators=limits.in_years(), widget=DATE_WIDGET)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=limits.NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "consultant").queryset = agency.team_users()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class PlannedVisitForm(forms.ModelForm):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())

    class Meta:
        model = PlannedVisit
        fields = ["library", "date", "time", "purpose"]
        widgets = {"date": DATE_WIDGET, "time": TIME_WIDGET}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "library").queryset = region_libraries(agency)
