from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.core.files import check_upload
from bokbro.directory.models import Municipality, Person
from bokbro.networks.models import Network


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "purpose", "joining", "contact_email", "partner_agencies"]
        widgets = {
            "joining": forms.RadioSelect,
            "partner_agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, other_agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if other_agencies is None or not other_agencies.exists():
            del self.fields["partner_agencies"]  # the owning agency's team shares it
        else:
            self.fields["partner_agencies"].queryset = other_agencies  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data.get("file"),
            types={"pdf", "docx", "pptx", "xlsx", "odt", "odp", "txt"},
            type_list="PDF, DOCX, PPTX, XLSX, ODT, ODP, TXT",
            refusal=str(_("A network document is one of these types: %(types)s.")),
        )


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    coordinator = forms.BooleanField(label=_("Coordinator"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class MailForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=10000)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    online_url = forms.URLField(label=_("Online link"), required=False)
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    description = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea, required=False, max_length=5000
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = network.agency.counties.all()
        self.fields["municipality"].queryset = Municipality.objects.filter(  # type: ignore[attr-defined]
            county__in=counties
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Meeting notes"),
        widget=forms.Textarea,
        required=False,
        max_length=20000,
        help_text=_("Markdown. Only the network's members read them."),
    )
    publish = forms.BooleanField(
        label=_("Publish the notes to the members (they get an e-mail)"), required=False
    )
