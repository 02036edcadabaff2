"""The report's charts write their numbers the way the reader's language does."""

from __future__ import annotations

import pytest
from django.utils import translation

from bokbro.reports.charts import bar_chart


@pytest.mark.parametrize(
    ("language", "share", "count"),
    [("nb", "33,3", "1\u00a0234"), ("sv", "33,3", "1\u00a0234"), ("en", "33.3", "1,234")],
)
def test_chart_values_use_the_languages_decimal_comma_and_grouping(
    language: str, share: str, count: str
) -> None:
    with translation.override(language):
        svg = bar_chart([("Hvaler", 33.333), ("Fredrikstad", 1234)], title="t", desc="d")
    assert f">{share}</text>" in svg
    assert f">{count}</text>" in svg
