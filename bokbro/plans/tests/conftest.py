from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.utils import translation

from bokbro.plans.models import Action, FocusArea, Goal, Indicator, Strategy
from bokbro.plans.services import parts, plans


def make_plan(world: Any, *, agency: Any = None, **overrides: Any) -> Any:
    """A regional plan 2024-2027 with one focus area, goal, strategy, measure and indicator."""
    agency = agency or world.agency
    actor = world.consultant
    fields = plans.PlanFields(
        title="Regional bibliotekplan for Østfold",
        kind="library",
        starts_year=2024,
        ends_year=2027,
        summary="Planen for **bibliotekutvikling** i fylket.",
        is_published=True,
    )
    plan = plans.plan_create(actor=actor, agency=agency, fields=replace(fields, **overrides))

    def add(model: Any, **fields: Any) -> Any:
        return parts.part_create(
            actor=actor, agency=agency, plan=plan, model=model, cleaned_data=fields
        )

    area = add(FocusArea, code="1", title="Det åpne biblioteket", order=None)
    goal = add(Goal, focus_area=area, code="1.1", title="Leselyst for alle", order=None)
    add(Strategy, goal=goal, title="Bokprat i alle kommuner", order=None)
    add(Action, goal=goal, title="Kursrekke i bokprat", year=2026, status="ongoing")
    add(Indicator, goal=goal, name="Kommuner med bokprat", unit="kommuner", target=10, order=None)
    return plan


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages from services and models are read in English here; pages choose their own
    language per request."""
    with translation.override("en"):
        yield
