from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bokbro.core.forms import model_choice
from bokbro.directory import look
from bokbro.directory.models import (
    Agency,
    County,
    Library,
    LibraryKind,
    LibraryRoleKind,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    TeamMember,
)


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
    )
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *LibraryKind.choices],
    )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *OrganisationKind.choices],
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *LibraryRoleKind.choices],
    )


def _municipalities_for(agency: Agency | None) -> QuerySet[Municipality]:
    qs = Municipality.objects.select_related("county")
    if agency is not None:
        qs = qs.filter(county__in=agency.counties.all())
    return qs.order_by("name")


class LibraryForm(forms.ModelForm):
    class Meta:
        model = Library
        fields = [
            "name",
            "kind",
            "municipality",
            "sigel",
            "street_address",
            "postcode",
            "city",
            "email",
            "phone",
            "website",
            "opening_hours",
            "is_active",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "municipality").queryset = _municipalities_for(agency)
        self.fields["municipality"].required = True


class LibraryDetailsForm(forms.ModelForm):
    """What the library's manager keeps up to date."""

    class Meta:
        model = Library
        fields = [
            "opening_hours",
            "street_address",
            "postcode",
            "city",
            "email",
            "phone",
            "website",
        ]
        widgets = {"opening_hours": forms.Textarea(attrs={"rows": 5})}


class ColleagueForm(forms.Form):
    """A manager adds a colleague: name, e-mail and role at the library."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=LibraryRoleKind.choices, initial=LibraryRoleKind.STAFF
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "municipality", "org_number", "email", "phone", "website"]

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "municipality").queryset = _municipalities_for(agency)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "email", "phone", "title", "organisation"]

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.all()
        if agency is not None:
            orgs = orgs.filter(municipality__county__in=agency.counties.all())
        model_choice(self, "organisation").queryset = orgs


class LibraryRoleForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=LibraryRoleKind.choices)

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        libraries = Library.objects.select_related("municipality")
        if agency is not None:
            libraries = libraries.in_county_ids(list(agency.counties.values_list("id", flat=True)))
        model_choice(self, "library").queryset = libraries.order_by("name")


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "organisation_name",
            "intro",
            "language",
            "currency",
            "email",
            "phone",
            "street_address",
            "postcode",
            "city",
            "website",
            "display_name",
            "logo",
            "accent_colour",
            "footer_contact",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 5}),
            "footer_contact": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["social_links_text"] = forms.CharField(
            label=_("Social links"),
            help_text=_("One a line: the name, then the address, e.g. Facebook https://…"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=look.social_links_text(self.instance.social_links or []),
        )
        # One welcome text per language of the site, kept in `Agency.welcome`.
        for code, name in settings.LANGUAGES:
            self.fields[f"welcome_{code}"] = forms.CharField(
                label=_("Welcome text on the front page (%(language)s)") % {"language": name},
                help_text=_("Markdown. Shown to visitors who read the site in this language."),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=self.instance.welcome.get(code, ""),
            )

    def clean_accent_colour(self) -> str:
        return look.accent_check(self.cleaned_data.get("accent_colour") or "")

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo is False:  # "Clear" ticked
            return ""
        if logo is None or not hasattr(logo, "content_type"):
            return self.instance.logo  # no new file: the logo stays
        return look.logo_check(logo)

    def clean_social_links_text(self) -> str:
        text = self.cleaned_data.get("social_links_text") or ""
        self.cleaned_data["social_links"] = look.social_links_parse(text)
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned.pop("social_links_text", None)
        cleaned["welcome"] = {
            code: text.strip()
            for code, _name in settings.LANGUAGES
            if (text := cleaned.pop(f"welcome_{code}", "") or "").strip()
        }
        return cleaned


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "title", "area", "email", "phone", "role", "is_listed", "position"]
