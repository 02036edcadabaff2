"""Computed indicators: how the report computes, for a goal and a year, the figures plans'
indicators can name (`bokbro.plans.computed`).

An indicator with `source = computed` names one of the `metric` keys; its value for a year is
computed in the follow-up of that year (`report.build_report`), over the activities tagged with
the indicator's goal, so it is never typed in and never out of date. "Share" metrics are per
cent of the agency's region (the municipalities of its counties).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bokbro.plans.models import MunicipalPlanStatus

# (the goal's Group, the region's size, the year's PlanCounts) -> the value, or None
Compute = Callable[[Any, int, Any], Decimal | None]


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


COMPUTE: dict[str, Compute] = {
    "activities": lambda group, region, counts: Decimal(group.activity_count),
    "participants": lambda group, region, counts: Decimal(group.people),
    "libraries_reached": lambda group, region, counts: Decimal(group.library_count),
    "municipalities_reached": lambda group, region, counts: Decimal(group.municipality_count),
    "municipalities_reached_share": lambda group, region, counts: _share(
        group.municipality_count, region
    ),
    "current_plan_share": lambda group, region, counts: counts.share(MunicipalPlanStatus.CURRENT),
}
