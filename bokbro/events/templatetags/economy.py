from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter(name="money")
def money(value: Any, currency: str = "") -> str:
    """An amount in the active language's format with the currency: "12 000,00 NOK" in
    bokmål, "12,000.00 NOK" in English."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    text = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{currency}" if currency else text
