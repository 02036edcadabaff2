"""The form of a budget line, and the amount field other modules use too."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from bokbro.core.forms import choice
from bokbro.events.models import BudgetLine
from bokbro.events.services.economy import BUDGET_LINE_FIELDS, BudgetLineData


class AmountField(forms.DecimalField):
    """An amount as people type it: "12 000", "12000,50" or "12000.50"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "")
        return super().to_python(value)


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["kind", "category", "description", "amount", "payer", "is_estimate"]
        field_classes = {"amount": AmountField}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.localize = True
        amount.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        amount.widget.is_localized = True
        amount.label = gettext_lazy("Amount in %(currency)s") % {"currency": currency}
        kind = choice(self, "kind")
        # The model field offers a blank choice; a budget line always has a kind.
        kind.choices = [c for c in cast(list, kind.choices) if c[0]]
        if not self.instance.pk:
            self.initial.setdefault("kind", "cost")
        self.fields["description"].help_text = gettext_lazy(
            "For example the speaker's name or the invoice number."
        )

    def line_data(self) -> BudgetLineData:
        return BudgetLineData(**{name: self.cleaned_data[name] for name in BUDGET_LINE_FIELDS})
