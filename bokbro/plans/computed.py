"""Computed indicators: the figures an indicator can ask Bokbro to compute for its goal.

An indicator with `source = computed` names one of these `metric` keys; the form offers them,
the services refuse any other. How each is computed for a year, from the activities tagged with
the goal, is the annual report's business (`bokbro.reports.metrics`, which has one computation
for every key here, a test holds it): plans never reads the report, the report reads plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # a lazy translation
    unit: str


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric("activities", _("Activities tagged with the goal"), ""),
        Metric("participants", _("Participants in activities tagged with the goal"), ""),
        Metric("libraries_reached", _("Libraries reached by activities tagged with the goal"), ""),
        Metric(
            "municipalities_reached",
            _("Municipalities reached by activities tagged with the goal"),
            "",
        ),
        Metric(
            "municipalities_reached_share",
            _("Share of the region's municipalities reached by activities tagged with the goal"),
            "%",
        ),
        Metric(
            "current_plan_share",
            _("Share of the region's municipalities with a current library plan"),
            "%",
        ),
    ]
}


def metric_choices() -> list[tuple[str, Any]]:
    return [("", "–"), *((metric.key, metric.label) for metric in METRICS.values())]
