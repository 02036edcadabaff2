"""Forms of the staff's event pages: the list's filters, the event with its sessions and
questions (formsets that grow without JavaScript), copying and cancelling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, Self, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.core import limits
from bokbro.core.forms import choice, model_choice
from bokbro.directory.models import Agency, Municipality
from bokbro.events.models import (
    Event,
    EventKind,
    EventStatus,
    Question,
    QuestionKind,
    Session,
    Topic,
)
from bokbro.events.services.events import (
    EVENT_FIELDS,
    EventFields,
    QuestionData,
    SessionData,
)
from bokbro.plans.tagging import PlanGoalsField, add_plan_goals

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


MAX_ROWS = 60


def raw_values(form: forms.BaseForm) -> dict[str, Any]:
    """What the user typed into a bound form, field by field, to show it again unbound."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


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


class RowForm(forms.Form):
    """A row of a formset; a row with none of its `significant` fields filled is left out."""

    significant: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        return any(self[name].data not in (None, "", False, []) for name in self.significant)


class SessionForm(RowForm):
    significant = ("date", "starts", "ends", "title", "venue", "online", "capacity")

    # Which of the event's sessions the row shows (empty in a new row), so that a change or a
    # removal is made to that session and no other.
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(
        label=_("Date"),
        validators=limits.in_years(),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    title = forms.CharField(
        label=_("Title of the session"),
        required=False,
        max_length=200,
        help_text=_("Optional, e.g. “Day 1” or “Follow-up online”."),
    )
    venue = forms.CharField(
        label=_("Venue of the session"),
        required=False,
        max_length=200,
        help_text=_("If different from the event's."),
    )
    online = forms.BooleanField(label=_("Online session"), required=False)
    capacity = forms.IntegerField(
        label=_("Seats in the session"),
        required=False,
        min_value=limits.CAPACITY[0],
        max_value=limits.CAPACITY[1],
        help_text=_(
            "Only for a workshop or a smaller room: participants then choose the session when "
            "they register, and a waiting list forms when it is full. Empty: everyone "
            "registered takes part."
        ),
    )

    def clean_id(self) -> int | None:
        value = self.cleaned_data["id"]
        # Anything but a number is a new row; the service changes only the event's own sessions.
        return int(value) if value.isascii() and value.isdigit() else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, starts, ends = data.get("date"), data.get("starts"), data.get("ends")
        if day and starts and ends:
            if ends <= starts:
                self.add_error("ends", _("The session must end after it starts."))
            else:
                data["starts_at"] = timezone.make_aware(datetime.combine(day, starts))
                data["ends_at"] = timezone.make_aware(datetime.combine(day, ends))
        return data

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        starts = timezone.localtime(session.starts_at)
        ends = timezone.localtime(session.ends_at)
        return {
            "id": session.pk,
            "date": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "title": session.title,
            "venue": session.venue,
            "online": session.online,
            "capacity": session.capacity,
        }


class QuestionForm(RowForm):
    significant = ("label", "choices", "required")

    label = forms.CharField(label=_("Question"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Answer type"), choices=QuestionKind.choices, initial=QuestionKind.TEXT
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=limits.SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One choice per line (for “one of several choices”)."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        lines = [line.strip() for line in (data.get("choices") or "").splitlines()]
        lines = [line for line in lines if line]
        if data.get("kind") == QuestionKind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("Write at least two choices, one per line."))
        data["choices"] = "\n".join(lines) if data.get("kind") == QuestionKind.CHOICE else ""
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "label": question.label,
            "kind": question.kind,
            "choices": question.choices,
            "required": question.required,
        }


class RowFormSet(forms.BaseFormSet):
    """Blank rows are skipped wherever they are; `rows()` gives the filled, kept ones."""

    min_rows = 0
    too_few_message: Any = ""
    delete_label: Any = _("Remove")

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs.setdefault("empty_permitted", True)
        # django-stubs leaves out BaseFormSet's private hooks, which Django documents in code.
        return super()._construct_form(i, **kwargs)  # type: ignore[misc]

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label

    def used_forms(self) -> Iterator[forms.Form]:
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form)  # type: ignore[attr-defined]
            if form.has_changed() and not deleted:
                yield form

    def clean(self) -> None:
        if any(self.errors):
            return
        if len(list(self.used_forms())) < self.min_rows:
            raise forms.ValidationError(self.too_few_message)

    def rows(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.used_forms()]

    def unbound_with_more_rows(self, more: int = 3) -> Self:
        """The rows typed so far, unbound (no error messages yet), and `more` blank rows."""
        kept = []
        for form in self.forms:
            values = raw_values(form)
            if form.has_changed() and not values.pop("DELETE", False):
                kept.append(values)
        blank = self.total_form_count() - len(kept)
        formset = type(self)(initial=kept, prefix=self.prefix)
        formset.extra = min(blank + more, MAX_ROWS - len(kept))
        return formset


class SessionRows(RowFormSet):
    min_rows = 1
    too_few_message = _("Add at least one session with a date and times.")
    delete_label = _("Remove this session")

    def sessions(self) -> list[SessionData]:
        return [
            SessionData(
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                title=row["title"].strip(),
                venue=row["venue"].strip(),
                online=row["online"],
                capacity=row.get("capacity"),
                session_id=row.get("id"),
            )
            for row in self.rows()
        ]


class QuestionRows(RowFormSet):
    delete_label = _("Remove this question")

    def questions(self) -> list[QuestionData]:
        return [
            QuestionData(
                label=row["label"].strip(),
                kind=row["kind"],
                choices=row["choices"],
                required=row["required"],
            )
            for row in self.rows()
        ]


# formset_factory makes a subclass of `formset`; the type checker knows only BaseFormSet.
SessionFormSet = cast(
    type[SessionRows],
    forms.formset_factory(
        SessionForm,
        formset=SessionRows,
        extra=3,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
    ),
)


QuestionFormSet = cast(
    type[QuestionRows],
    forms.formset_factory(
        QuestionForm,
        formset=QuestionRows,
        extra=2,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
    ),
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
