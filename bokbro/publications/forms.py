from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bokbro.core.files import check_upload
from bokbro.core.isbn import normalise_isbn, normalise_issn
from bokbro.directory.models import Agency
from bokbro.newsletter.models import MailingList
from bokbro.plans.models import Goal
from bokbro.plans.tagging import PlanGoalsField, add_plan_goals
from bokbro.publications import selectors
from bokbro.publications.models import Kind, Language, Publication, ScanTag

COVER_TYPES = ("png", "jpg", "jpeg")


class PublicationForm(forms.ModelForm):
    plan_goals = PlanGoalsField()
    publish = forms.BooleanField(
        label=_("Published: in the public archive, the feed and the annual report"),
        required=False,
        help_text=_("Leave it unticked to keep a draft that only the agency's team sees."),
    )

    class Meta:
        model = Publication
        fields = [
            "title",
            "authors",
            "year",
            "kind",
            "language",
            "isbn",
            "issn",
            "summary",
            "file",
            "url",
            "cover",
            "plan_goals",
        ]

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("isbn", "issn"):
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length, field.validators = 20, []
            field.widget.attrs["maxlength"] = 20
        self.fields["isbn"].help_text = _("ISBN-10 or ISBN-13, with or without hyphens.")
        self.fields["publish"].initial = self.instance.published_at is not None
        self.fields["file"].widget.attrs["accept"] = ".pdf"
        self.fields["cover"].widget.attrs["accept"] = ",".join(f".{e}" for e in COVER_TYPES)
        add_plan_goals(self, agency)

    def clean_isbn(self) -> str:
        value = self.cleaned_data["isbn"]
        return normalise_isbn(value) if value.strip() else ""

    def clean_issn(self) -> str:
        value = self.cleaned_data["issn"]
        return normalise_issn(value) if value.strip() else ""

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data.get("file"),
            types={"pdf"},
            type_list="PDF",
            refusal=str(_("A publication's file must be a PDF.")),
        )

    def clean_cover(self) -> Any:
        return check_upload(
            self.cleaned_data.get("cover"),
            types=COVER_TYPES,
            type_list="PNG, JPG",
            refusal=str(_("A cover must be a picture. Allowed types: %(types)s.")),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = data.get("file") or (self.instance.pk and self.instance.file)
        if not has_file and not data.get("url") and not self.errors.get("file"):
            self.add_error("file", _("Upload the PDF or give a link to it."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model; skip ModelForm's (the files are new uploads).
        pass


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    goal = forms.ModelChoiceField(
        label=_("Goal of the plan"), required=False, queryset=Goal.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["kind"].choices = every + list(Kind.choices)  # type: ignore[attr-defined]
        self.fields["language"].choices = every + list(Language.choices)  # type: ignore[attr-defined]
        self.fields["year"].choices = every + [  # type: ignore[attr-defined]
            (y, str(y)) for y in selectors.years(agency)
        ]
        self.fields["goal"].queryset = Goal.objects.for_choices(agency)  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = _("All")  # type: ignore[attr-defined]


class ScanItemForm(forms.Form):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to read it from the page."),
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("A few lines in your own words. Empty: the page's own description."),
    )
    tags = forms.CharField(
        label=_("Topics"),
        max_length=500,
        required=False,
        help_text=_("Separate topics with commas."),
    )
    plan_goals = PlanGoalsField()

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_plan_goals(self, agency)


class ScanFilterForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=ScanTag.objects.none())
    goal = forms.ModelChoiceField(
        label=_("Goal of the plan"), required=False, queryset=Goal.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = ScanTag.objects.filter(agency=agency)  # type: ignore[attr-defined]
        self.fields["tag"].empty_label = _("All")  # type: ignore[attr-defined]
        self.fields["goal"].queryset = Goal.objects.for_choices(agency)  # type: ignore[attr-defined]
        self.fields["goal"].empty_label = _("All")  # type: ignore[attr-defined]


class IssueForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “No. 2, 2026”.")
    )
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False)
    lead = forms.CharField(
        label=_("Editorial"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
        help_text=_("Markdown."),
    )
    publish = forms.BooleanField(
        label=_("Published: on the public pages and in the feed"), required=False
    )


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    lead = forms.CharField(
        label=_("Lead"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=600,
        help_text=_("Two or three sentences."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=40000,
        help_text=_("Markdown: **bold**, lists, links, ## headings."),
    )
    position = forms.IntegerField(label=_("Order in the issue"), min_value=0, initial=0)
    picture = forms.FileField(
        label=_("Add a picture"),
        required=False,
        help_text=_(
            "PNG or JPG. It comes after the article's other pictures: the first is shown above "
            "the text, the others after it. Add one at a time."
        ),
    )
    picture_text = forms.CharField(
        label=_("Picture description"),
        max_length=300,
        required=False,
        help_text=_("What the picture shows, for those who cannot see it."),
    )
    picture_credit = forms.CharField(
        label=_("Photo credit"),
        max_length=200,
        required=False,
        help_text=_("Who took the picture."),
    )

    def clean_picture(self) -> Any:
        return check_upload(
            self.cleaned_data.get("picture"),
            types=COVER_TYPES,
            type_list="PNG, JPG",
            refusal=str(_("A picture must be PNG or JPG.")),
        )


class ArticlePictureForm(forms.Form):
    """A picture's description, credit and place, changed on the article's page."""

    description = forms.CharField(
        label=_("Picture description"),
        max_length=300,
        help_text=_("What the picture shows, for those who cannot see it."),
    )
    credit = forms.CharField(label=_("Photo credit"), max_length=200, required=False)
    position = forms.IntegerField(label=_("Order"), min_value=0)


class NewsletterDraftForm(forms.Form):
    mailing_list = forms.ModelChoiceField(
        label=_("Newsletter list"), queryset=MailingList.objects.none()
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = MailingList.objects.of(agency)  # type: ignore[attr-defined]
