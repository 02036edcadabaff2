from __future__ import annotations

from django import forms
from django.forms.renderers import TemplatesSetting

from bokbro.directory.models import Agency, TeamMember


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
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 5})}


class FormRenderer(TemplatesSetting):
    """Renders every form with Designsystemet's field markup (components/field.html)."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "title", "area", "email", "phone", "role", "is_listed", "position"]
