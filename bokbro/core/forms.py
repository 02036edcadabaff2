from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Renders every form with Designsystemet's field markup (components/field.html)."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def add_service_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when it names one of the
    form's fields, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field `name`, typed as the model choice field it is (to set its queryset)."""
    return cast(forms.ModelChoiceField, form.fields[name])


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field `name`, typed as the choice field it is (to set its choices)."""
    return cast(forms.ChoiceField, form.fields[name])
