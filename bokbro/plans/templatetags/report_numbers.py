"""Numbers of the plans, the follow-up and the annual report, written the reader's way: grouped
thousands, decimals only when there are any (3,5 h; 400 000 NOK)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from bokbro.plans.computed import METRICS
from bokbro.plans.models import Indicator, IndicatorSource

register = template.Library()


@register.filter
def metric_label(indicator: Indicator) -> Any:
    """What Bokbro computes for a computed indicator (computed.py), else ""."""
    metric = METRICS.get(indicator.metric) if indicator.source == IndicatorSource.COMPUTED else None
    return metric.label if metric else ""


@register.filter
def report_number(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = Decimal(str(round(value, 2)))
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else value.normalize()
    return number_format(value, force_grouping=True)
