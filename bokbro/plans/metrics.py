"""Computed indicators: figures Bokbro computes for a goal and a year from its own data.

An indicator with `source = computed` names one of these `metric` keys. Its value for a year is
computed in the follow-up of that year (`report.build_report`), over the activities tagged with
the indicator's goal, so it is never typed in and never out of date. "Share" metrics are per cent
of the agency's region (the municipalities of its counties).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from bokbro.plans.models import MunicipalPlanStatus


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any  # a lazy translation
    unit: str
    compute: Callable[[Any, int, Any], Decimal | None]  # (goal's Group, region size, PlanCounts)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric(
            "activities",
            _("Activities tagged with the goal"),
            "",
            lambda group, region, counts: Decimal(group.activity_count),
        ),
        Metric(
            "participants",
            _("Participants in activities tagged with the goal"),
            "",
            lambda group, region, counts: Decimal(group.people),
        ),
        Metric(
            "libraries_reached",
            _("Libraries reached by activities tagged with the goal"),
            "",
            lambda group, region, counts: Decimal(group.library_count),
        ),
        Metric(
            "municipalities_reached",
            _("Municipalities reached by activities tagged with the goal"),
            "",
            lambda group, region, counts: Decimal(group.municipality_count),
        ),
        Metric(
            "municipalities_reached_share",
            _("Share of the region's municipalities reached by activities tagged with the goal"),
            "%",
            lambda group, region, counts: _share(group.municipality_count, region),
        ),
        Metric(
            "current_plan_share",
            _("Share of the region's municipalities with a current library plan"),
            "%",
            lambda group, region, counts: counts.share(MunicipalPlanStatus.CURRENT),
        ),
    ]
}


def metric_choices() -> list[tuple[str, Any]]:
    return [("", "–"), *((metric.key, metric.label) for metric in METRICS.values())]
