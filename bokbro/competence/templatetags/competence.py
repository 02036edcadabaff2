"""`pick`: a survey text ({"nb": …, "en": …}) in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

from bokbro.competence.models import pick as pick_text

register = template.Library()


@register.filter
def pick(texts: Any, language: str | None = None) -> str:
    return pick_text(texts if isinstance(texts, dict) else {}, language)


@register.filter
def bar_width(percent: Any) -> str:
    """The width of a bar in the chart's 0-300 scale."""
    try:
        return f"{float(percent) * 3:.1f}"
    except (TypeError, ValueError):
        return "0"


@register.filter
def chart_height(bars: Any) -> int:
    return len(bars) * 28 + 8


@register.filter
def get_value(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
