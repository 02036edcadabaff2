"""Forms of the participants page: its filters, staff registering someone, and an e-mail to the
participants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bokbro.core.forms import choice, model_choice
from bokbro.directory.models import Library
from bokbro.events.forms.public import ElectiveSessionsForm
from bokbro.events.models import Event, RegistrationStatus
from bokbro.events.selectors import libraries_for


class ParticipantFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("active", _("Active")), *RegistrationStatus.choices],
    )
    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("All libraries"),
    )
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        # The participants page also holds the register form, which has a library field too.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        model_choice(self, "library").queryset = (
            Library.objects.filter(registrations__event=event).distinct().order_by("name")
        )


class RegisterForm(ElectiveSessionsForm):
    """Staff register someone on their behalf."""

    sessions_help = _("A full session puts the person on its waiting list.")

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.none(),
        required=False,
        empty_label=_("Not at a library in the list"),
    )
    organisation = forms.CharField(
        label=_("Workplace"),
        required=False,
        max_length=200,
        help_text=_("If the person does not work at a library in the list."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "library").queryset = libraries_for(event)
        self.add_sessions(event)


class EmailParticipantsForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=_("Send to participants who are"),
        choices=RegistrationStatus.choices,
        initial=[RegistrationStatus.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text. Each participant gets their own e-mail with a link to their registration."
        ),
    )

    def __init__(self, *args: Any, counts: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "statuses").choices = [
            (value, format_lazy("{} ({})", label, counts.get(value, 0)))
            for value, label in RegistrationStatus.choices
        ]
