from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core import limits
from bokbro.core.forms import model_choice
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import County, LibraryKind, LibraryRoleKind, Municipality
from bokbro.events.models import Event
from bokbro.newsletter.models import Issue, IssueImage, MailingList
from bokbro.newsletter.services.issues import IssueFields
from bokbro.newsletter.services.lists import ListFields


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    lists = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )

    def __init__(self, *args: Any, agency: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lists = MailingList.objects.of(agency).public()
        model_choice(self, "lists").queryset = lists
        if len(lists) == 1:
            self.fields["lists"].initial = [lists[0].pk]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class PreferencesForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Send me these newsletters"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, offered: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "lists").queryset = offered


class MailingListForm(forms.ModelForm):
    segment_roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=LibraryRoleKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a segment: people with any of these roles (none ticked: any role)."),
    )
    segment_library_kinds = forms.MultipleChoiceField(
        label=_("Library types"),
        choices=LibraryKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For a segment: at libraries of these types (none ticked: any type)."),
    )

    class Meta:
        model = MailingList
        fields = [
            "name",
            "description",
            "kind",
            "is_public",
            "from_email",
            "from_name",
            "segment_roles",
            "segment_library_kinds",
            "segment_counties",
            "segment_municipalities",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            "segment_counties": forms.CheckboxSelectMultiple,
            "segment_municipalities": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, agency: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        county_ids = agency_county_ids(agency)
        model_choice(self, "segment_counties").queryset = County.objects.filter(pk__in=county_ids)
        self.fields["segment_counties"].help_text = _("For a segment (none ticked: all).")
        model_choice(self, "segment_municipalities").queryset = Municipality.objects.filter(
            county__in=county_ids
        ).order_by("name")
        self.fields["segment_municipalities"].help_text = _("For a segment (none chosen: all).")

    def list_fields(self) -> ListFields:
        data = self.cleaned_data
        return ListFields(
            name=data["name"],
            description=data["description"],
            kind=data["kind"],
            is_public=data["is_public"],
            from_email=data["from_email"],
            from_name=data["from_name"],
            segment_roles=tuple(data["segment_roles"]),
            segment_library_kinds=tuple(data["segment_library_kinds"]),
            segment_counties=tuple(data["segment_counties"]),
            segment_municipalities=tuple(data["segment_municipalities"]),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = MailingList.objects.of(self.agency).filter(name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("You already have a list with this name."))
        return name


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One address per line: e-mail, then optionally the name. Nothing is imported if "
            "any line is wrong."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("The file is not a text (CSV) file."))


class EventChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} ({timezone.localtime(obj.starts_at):%d.%m.%Y})"


class IssueForm(forms.ModelForm):
    events = EventChoiceField(
        label=_("Upcoming events"),
        queryset=Event.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Chosen events are listed in the newsletter with their dates and links."),
    )

    class Meta:
        model = Issue
        fields = ["mailing_list", "subject", "intro", "body", "events", "is_archived"]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args: Any, agency: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "mailing_list").queryset = MailingList.objects.of(agency)
        model_choice(self, "mailing_list").empty_label = None
        upcoming = Event.objects.visible_on(agency).upcoming().order_by("starts_at")
        if self.instance.pk:
            chosen = self.instance.events.values_list("pk", flat=True)
            upcoming = Event.objects.filter(
                pk__in=list(upcoming.values_list("pk", flat=True)) + list(chosen)
            ).order_by("starts_at")
        model_choice(self, "events").queryset = upcoming
        self.fields["body"].help_text = _(
            "Markdown: ## starts a section, **bold**, [link text](https://…). Place a picture "
            "with its reference from the list of pictures, e.g. ![What it shows](picture:12)."
        )

    def _pictures_known(self, field: str) -> str:
        """Every picture reference names a picture of this issue."""
        from bokbro.newsletter.rendering import picture_ids

        text = self.cleaned_data.get(field, "")
        known = (
            set(self.instance.images.values_list("pk", flat=True)) if self.instance.pk else set()
        )
        unknown = [pk for pk in dict.fromkeys(picture_ids(text)) if pk not in known]
        if unknown:
            raise ValidationError(
                [
                    ValidationError(
                        _(
                            "This issue has no picture “picture:%(number)s”. Add the picture "
                            "first, then use the reference shown beside it."
                        ),
                        params={"number": pk},
                        code="unknown_picture",
                    )
                    for pk in unknown
                ]
            )
        return text

    def issue_fields(self) -> IssueFields:
        data = self.cleaned_data
        return IssueFields(
            mailing_list=data["mailing_list"],
            subject=data["subject"],
            intro=data["intro"],
            body=data["body"],
            is_archived=data["is_archived"],
            events=tuple(data["events"]),
        )

    def clean_body(self) -> str:
        return self._pictures_known("body")

    def clean_intro(self) -> str:
        return self._pictures_known("intro")


class ImageForm(forms.ModelForm):
    class Meta:
        model = IssueImage
        fields = ["file", "alt", "caption"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.NEWSLETTER_MAX_IMAGE_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The image is %(size)s; the largest allowed is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        image = getattr(upload, "image", None)
        if image is not None and (image.width > 4000 or image.height > 4000):
            raise ValidationError(_("The image is larger than 4000 × 4000 pixels."))
        return upload


class ScheduleForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("Send at a set time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        validators=limits.in_years(),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "later":
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", _("Choose when to send."))
            elif send_at <= timezone.now():
                self.add_error("send_at", _("Choose a time in the future."))
        return data
