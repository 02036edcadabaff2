"""Forms of the staff's event pages: the list's filters, the event (its sessions and questions
are rows beside it: rows.py), copying and cancelling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.core import limits
from bokbro.core.forms import choice, model_choice
from bokbro.directory.models import Agency, Municipality
from bokbro.events.models import (
    Event,
    EventKind,
    EventStatus,
    Topic,
)
from bokbro.events.services.events import (
    EVENT_FIELDS,
    EventFields,
    SessionData,
)
from bokbro.plans.tagging import PlanGoalsField, add_plan_goals

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Show"),
        required=False,
        initial="upcoming",
        choices=[
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
            ("drafts", _("Drafts")),
            ("all", _("All")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *EventKind.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


def municipalities_for(*agencies: Agency | None) -> QuerySet[Municipality]:
    county_ids = {
        county_id
        for agency in agencies
        if agency is not None
        for county_id in agency.counties.values_list("id", flat=True)
    }
    return Municipality.objects.filter(county__in=county_ids).order_by("name")


class EventForm(forms.ModelForm):
    """The event and its registration rules; sessions and questions are formsets beside it."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_topic = forms.CharField(
        label=_("New topic"),
        required=False,
        max_length=100,
        help_text=_("Adds a topic to your agency's list and tags this event with it."),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Agencies running the event with you share one participant list."),
    )
    plan_goals = PlanGoalsField()

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "audience",
            "topics",
            "new_topic",
            "plan_goals",
            "format",
            "venue",
            "venue_address",
            "municipality",
            "online_url",
            "price",
            "status",
            "registration_opens_at",
            "registration_closes_at",
            "capacity",
            "waiting_list",
            "quota_per_library",
            "manager_approval",
            "confirm_by_email",
            "hold_hours",
            "invitation_role",
            "cancellation_deadline",
            "binding_text",
            "no_show_fee",
            "late_cancellation_fee",
            "promotion",
            "offer_hours",
            "reminder_hours",
            "retention_months",
            "certificate_min_sessions",
            "evaluation_url",
            "co_organisers",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "binding_text": forms.Textarea(attrs={"rows": 3}),
            "registration_opens_at": DATETIME_WIDGET,
            "registration_closes_at": DATETIME_WIDGET,
            "cancellation_deadline": DATETIME_WIDGET,
        }

    def __init__(self, *args: Any, owner: Agency, site_agency: Agency | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        event = self.instance
        model_choice(self, "topics").queryset = Topic.objects.filter(agency=owner)
        model_choice(self, "co_organisers").queryset = Agency.objects.exclude(pk=owner.pk).order_by(
            "name"
        )
        add_plan_goals(self, owner)  # the organiser's plan goals
        municipalities = municipalities_for(owner, site_agency)
        if event.municipality_id:
            municipalities = Municipality.objects.filter(
                Q(pk__in=municipalities.values("pk")) | Q(pk=event.municipality_id)
            ).order_by("name")
        model_choice(self, "municipality").queryset = municipalities
        self.fields["price"].label = _("Price in %(currency)s") % {"currency": owner.currency}
        self.fields["price"].help_text = _("0 means free.")
        self.fields["no_show_fee"].label = _("No-show fee in %(currency)s") % {
            "currency": owner.currency
        }
        self.fields["late_cancellation_fee"].label = _("Late cancellation fee in %(currency)s") % {
            "currency": owner.currency
        }
        if event.status == EventStatus.CANCELLED:
            # A cancelled event stays cancelled; the form edits its content only.
            del self.fields["status"]
        else:
            choice(self, "status").choices = [
                (EventStatus.DRAFT, _("Draft: only the agency's staff see it")),
                (EventStatus.PUBLISHED, _("Published: in the calendar, open for registration")),
            ]
        for name in ("registration_opens_at", "registration_closes_at", "cancellation_deadline"):
            self.fields[name].widget = DATETIME_WIDGET

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        return data

    def check_schedule(self, sessions: list[SessionData]) -> None:
        """Rules that need the sessions: registration closes before the event ends; a
        certificate cannot ask for more sessions than there are."""
        if not sessions:
            return
        minimum = self.cleaned_data.get("certificate_min_sessions")
        if minimum is not None and minimum > len(sessions):
            self.add_error(
                "certificate_min_sessions",
                ngettext(
                    "The event has %(count)s session; a certificate cannot ask for more.",
                    "The event has %(count)s sessions; a certificate cannot ask for more.",
                    len(sessions),
                )
                % {"count": len(sessions)},
            )
        ends = max(s.ends_at for s in sessions)
        closes = self.cleaned_data.get("registration_closes_at")
        if closes and closes > ends:
            self.add_error(
                "registration_closes_at", _("Registration must close before the event ends.")
            )
        opens = self.cleaned_data.get("registration_opens_at")
        if opens and opens >= ends:
            self.add_error(
                "registration_opens_at", _("Registration must open before the event ends.")
            )

    def event_data(self) -> EventFields:
        """The event's own fields for the services (a cancelled event's form has no status)."""
        return cast(
            EventFields,
            {name: value for name, value in self.cleaned_data.items() if name in EVENT_FIELDS},
        )


class CopyForm(forms.Form):
    shift_days = forms.IntegerField(
        label=_("Move the dates by (days)"),
        initial=0,
        min_value=-3650,
        max_value=3650,
        help_text=_("E.g. 7 puts the copy one week later. 0 keeps the dates."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_shift_days(self) -> int:
        """The copy's dates stay within the years the database takes."""
        days = self.cleaned_data["shift_days"]
        for moment in (self.event.starts_at, self.event.ends_at):
            limits.InYears()(moment + timedelta(days=days))
        return days


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the participants"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the event is cancelled, and what happens next. Sent with the notice."),
    )
