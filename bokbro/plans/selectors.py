"""Reads of the plans that pages, exports and the annual report share."""

from __future__ import annotations

from django.db.models import Prefetch

from bokbro.plans.models import (
    Action,
    FocusArea,
    Goal,
    Indicator,
    Plan,
)


def plan_tree(plan: Plan) -> list[FocusArea]:
    """The plan's focus areas with their goals, strategies, measures and indicators (with
    values) prefetched: a constant number of queries."""
    return list(
        plan.focus_areas.prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("order", "code", "pk").prefetch_related(
                    "strategies",
                    Prefetch(
                        "actions",
                        queryset=Action.objects.select_related("responsible", "strategy").order_by(
                            "year", "pk"
                        ),
                    ),
                    Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
                ),
            )
        )
    )
