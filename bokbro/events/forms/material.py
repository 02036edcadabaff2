"""The form that shares a file or a link with the participants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.core.files import ALLOWED_LIST, ALLOWED_TYPES, check_upload
from bokbro.core.forms import model_choice
from bokbro.events.models import Event, MaterialKind, Session


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{when}: {obj.title}" if obj.title else when


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you share?"),
        choices=MaterialKind.choices,
        initial=MaterialKind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    file = forms.FileField(
        label=gettext_lazy("File"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("At most 20 MB. Allowed types: %(types)s.")
        % {"types": ALLOWED_LIST},
    )
    url = forms.URLField(
        label=gettext_lazy("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("For example a recording, a reading list or a shared document."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    session = SessionChoiceField(
        label=gettext_lazy("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=gettext_lazy("The whole event"),
    )
    tell_participants = forms.BooleanField(
        label=gettext_lazy("Tell the confirmed participants by e-mail"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "session").queryset = event.sessions.order_by("starts_at", "pk")
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_TYPES)

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data.get("file"),
            types=ALLOWED_TYPES,
            type_list=ALLOWED_LIST,
            refusal=_("Files of this type cannot be shared. Allowed types: %(types)s."),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if kind == MaterialKind.FILE and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the file to share."))
        if kind == MaterialKind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Write the link to share."))
        return data

    @property
    def file_to_choose_again(self) -> bool:
        """A browser never fills in a file field again; the page says so after other errors."""
        return bool(self.errors and self.files.get("file") and "file" not in self.errors)
