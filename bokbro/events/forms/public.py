"""Forms of the public side: the calendar's filters, the registration form and a library
manager's colleagues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bokbro.core.forms import choice, model_choice
from bokbro.directory.models import Library
from bokbro.events.models import (
    Audience,
    Event,
    EventFormat,
    EventKind,
    QuestionKind,
    Session,
    Topic,
)
from bokbro.events.selectors import libraries_for
from bokbro.events.services.session_seats import SESSION_REMOVED, choice_problem, session_label


class CalendarFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *EventKind.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.none(), empty_label=_("All topics")
    )
    audience = forms.ChoiceField(
        label=_("Audience"), required=False, choices=[("", _("Everyone")), *Audience.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("All formats")), *EventFormat.choices]
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: Any, agency: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency is not None:
            model_choice(self, "topic").queryset = Topic.objects.filter(agency=agency)
            choice(self, "county").choices = [
                ("", _("All counties")),
                *[(c.code, c.name) for c in agency.counties.all()],
            ]


class SessionChoiceField(forms.ModelMultipleChoiceField):
    """The event's elective sessions, each with its free seats ("3 of 20 seats free")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Sessions you choose"))
        kwargs.setdefault(
            "help_text",
            _(
                "These sessions have their own seats. Choose the ones you want; when a session "
                "is full, you go on its waiting list."
            ),
        )
        super().__init__(required=False, **kwargs)

    def label_from_instance(self, obj: Session) -> str:
        if obj.seats_left:
            seats = ngettext(
                "%(free)s of %(capacity)s seat free",
                "%(free)s of %(capacity)s seats free",
                obj.capacity or 0,
            ) % {"free": obj.seats_left, "capacity": obj.capacity}
        else:
            seats = gettext("full: waiting list")
        return f"{session_label(obj)} – {seats}"

    def _check_values(self, value: Any) -> Any:
        """A session that no longer exists was removed while the form was filled in: say so,
        rather than Django's "not one of the available choices"."""
        try:
            # django-stubs leaves out this hook, which Django documents in code.
            return super()._check_values(value)  # type: ignore[misc]
        except forms.ValidationError as error:
            chosen = str((error.params or {}).get("value", ""))
            gone = error.code == "invalid_choice" and not (
                chosen.isdigit() and Session.objects.filter(pk=int(chosen)).exists()
            )
            if gone:
                raise forms.ValidationError(SESSION_REMOVED, code="session_removed") from error
            raise


class RegistrantForm(forms.Form):
    """Who registers, and the rules for it: a name, a valid address (Django's EmailValidator;
    no NUL byte in any field), the library or else the workplace, and the binding terms
    accepted where the event has them. The registration page and the API
    (events/api.py) both run this form, so they refuse the same input."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    library = forms.ModelChoiceField(
        label=_("Your library"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("I do not work at a library in the list"),
    )
    organisation = forms.CharField(
        label=_("Workplace"),
        required=False,
        max_length=200,
        help_text=_("Fill in if your library is not in the list."),
    )

    def __init__(self, *args: Any, event: Any, shown: bool = True, **kwargs: Any) -> None:
        """`shown=False` (the API): the form is only checked, never shown, so the region's
        libraries are looked up only to check a library that is given (one query less on the
        hot path of a registration burst)."""
        super().__init__(*args, **kwargs)
        self.event = event
        if shown or self.data.get("library") not in (None, ""):
            model_choice(self, "library").queryset = libraries_for(event)
        if shown or self.data.get("sessions"):
            # Elective sessions (a workshop with its own seats): looked up only where the event
            # page shows the form, or the API's request chose some.
            electives = event.sessions.filter(capacity__isnull=False).order_by("starts_at", "pk")
            # A choice sent where none is left (the sessions just removed) is refused, too.
            if not shown or electives or self.data.get("sessions"):
                self.fields["sessions"] = SessionChoiceField(queryset=electives)
        if event.binding_text:
            self.fields["accept_terms"] = forms.BooleanField(
                label=_("I accept the terms for binding registration above."),
                required=True,
                error_messages={"required": _("You must accept the terms to register.")},
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("library") and not (data.get("organisation") or "").strip():
            self.add_error("organisation", _("Choose your library, or write where you work."))
        chosen = list(data.get("sessions") or [])
        problem = choice_problem(self.event, chosen) if chosen else None
        if problem is not None:
            self.add_error("sessions", problem)
        return data


class RegistrationForm(RegistrantForm):
    """The registration page: who registers, and the event's questions."""

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        super().__init__(*args, event=event, **kwargs)
        self.questions = list(event.questions.all())
        for question in self.questions:
            name = f"question_{question.pk}"
            if question.kind == QuestionKind.CHOICE:
                field: forms.Field = forms.ChoiceField(
                    choices=[("", "—"), *[(c, c) for c in question.choice_list]],
                )
            elif question.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(
                    choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                )
            else:
                field = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
            field.label = question.label
            field.required = question.required
            self.fields[name] = field
        if "accept_terms" in self.fields:  # the terms come last, after the questions
            self.fields["accept_terms"] = self.fields.pop("accept_terms")

    def answers(self) -> dict[str, str]:
        return {
            q.label: self.cleaned_data.get(f"question_{q.pk}", "") or "" for q in self.questions
        }


class ElectiveSessionsForm(forms.Form):
    """A form on which someone else chooses a person's elective sessions (staff registering
    someone, a manager registering colleagues): the `sessions` field where the event has any,
    and the check that two chosen sessions do not clash."""

    sessions_help: Any = ""

    def add_sessions(self, event: Event) -> None:
        self.event = event
        electives = event.sessions.filter(capacity__isnull=False).order_by("starts_at", "pk")
        if electives:
            self.fields["sessions"] = SessionChoiceField(
                queryset=electives, label=_("Sessions"), help_text=self.sessions_help
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        chosen = list(self.cleaned_data.get("sessions") or [])
        problem = choice_problem(self.event, chosen) if chosen else None
        if problem is not None:
            self.add_error("sessions", problem)
        return self.cleaned_data


class ColleaguesForm(ElectiveSessionsForm):
    sessions_help = _(
        "The sessions chosen here are chosen for every colleague you register. A full session "
        "puts them on its waiting list."
    )
    people = forms.MultipleChoiceField(
        label=_("Colleagues to register"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], event: Event, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "people").choices = choices
        self.add_sessions(event)


class _ChosenAgainField(SessionChoiceField):
    """On the participant's own change, any session that is not one of the event's elective
    sessions now was removed under them (or never theirs to choose): they choose again."""

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)
        except forms.ValidationError as error:
            if error.code in ("invalid_choice", "session_removed"):
                raise forms.ValidationError(SESSION_REMOVED, code="session_removed") from error
            raise


class SessionsChangeForm(ElectiveSessionsForm):
    """The participant changes their elective sessions with their personal link: the
    registration form's field and rules, with their current choices ticked."""

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        electives = event.sessions.filter(capacity__isnull=False).order_by("starts_at", "pk")
        self.fields["sessions"] = _ChosenAgainField(queryset=electives)
