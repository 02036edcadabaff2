"""The rows of the staff's event form: its sessions and its questions, formsets that grow
without JavaScript (blank rows are left out wherever they are)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Self, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.events.models import Question, QuestionKind, Session
from bokbro.events.services.events import QuestionData, SessionData

MAX_ROWS = 60


def raw_values(form: forms.BaseForm) -> dict[str, Any]:
    """What the user typed into a bound form, field by field, to show it again unbound."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


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
    # Shown only beside a removed session people have chosen (SessionRows.warn).
    confirm_removal = forms.BooleanField(
        label=_("Remove it and tell them by e-mail"), required=False
    )
    removal_warning = ""

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
    removal_warned = False
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

    def _row_id(self, form: forms.Form) -> int | None:
        value = form["id"].data or ""
        return int(value) if value.isascii() and value.isdigit() else None

    def confirmed_removals(self) -> set[int]:
        """The sessions whose removal the user confirmed (the box beside each warning)."""
        return {
            pk
            for form in self.forms
            if form["confirm_removal"].data and (pk := self._row_id(form)) is not None
        }

    def warn(self, warnings: dict[int, str]) -> list[str]:
        """Put each session's warning (by session id) beside its row, with the box to confirm;
        returns the warnings of sessions the form has no row for (a form older than them)."""
        self.removal_warned = True
        unplaced = dict(warnings)
        for form in self.forms:
            pk = self._row_id(form)
            if pk in unplaced:
                form.removal_warning = unplaced.pop(pk)  # type: ignore[attr-defined]
        return list(unplaced.values())


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
