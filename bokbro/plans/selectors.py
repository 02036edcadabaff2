"""Reads of the plans that pages, exports and the annual report share."""

from __future__ import annotations

from typing import Any

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


def plans_for(agency: Any, year: int) -> list[Plan]:
    """The agency's plans, those covering the year first."""
    plans = list(Plan.objects.of(agency).order_by("-starts_year", "title", "pk"))
    return sorted(plans, key=lambda plan: not plan.covers(year))


def choose_plan(agency: Any, year: int, plan_id: Any = None) -> Plan | None:
    """The plan asked for (if it is the agency's), else the first covering the year."""
    plans = plans_for(agency, year)
    if plan_id:
        chosen = next((p for p in plans if str(p.pk) == str(plan_id)), None)
        if chosen is not None:
            return chosen
    return plans[0] if plans else None


def goals_by_area(plan: Plan) -> list[tuple[FocusArea, list[Goal]]]:
    """The plan's focus areas, each with its goals, in their order: two queries."""
    areas = list(plan.focus_areas.order_by("order", "code", "pk"))
    goals = list(Goal.objects.filter(plan=plan).order_by("order", "code", "pk"))
    return [(area, [g for g in goals if g.focus_area_id == area.pk]) for area in areas]
