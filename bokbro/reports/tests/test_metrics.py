"""Computed indicators: Bokbro computes their yearly value from the goal's activities
(`report_fixtures.py` holds the hand-counted year the numbers come from)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from bokbro.plans.models import Indicator
from bokbro.reports.tests.report_fixtures import YEAR, make_year
from bokbro.reports.tests.test_report import page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def indicator_form(year: Any, **data: Any) -> dict[str, Any]:
    return {"goal": year.a1.pk, "higher_is_better": "on", "source": "computed", **data}


def test_a_computed_indicator_needs_the_figure_to_compute(client_for: Any, world: Any) -> None:
    year = make_year(world)
    kari = client_for(world.consultant, language="en")
    url = reverse("plans:part_create", args=[year.plan.pk, "indicators"])
    response = kari.post(url, indicator_form(year, name="Kommuner nådd", metric=""))
    assert response.status_code == 200
    assert "Choose the figure Bokbro should compute." in text_of(response.content.decode())
    assert not Indicator.objects.filter(name="Kommuner nådd").exists()


def test_computed_indicators_show_the_years_value_from_the_goals_activities(
    client_for: Any, world: Any
) -> None:
    year = make_year(world)
    kari = client_for(world.consultant, language="en")
    url = reverse("plans:part_create", args=[year.plan.pk, "indicators"])
    for name, metric, target in [
        ("Kommuner nådd", "municipalities_reached_share", "100"),
        ("Deltakere", "participants", "10"),
        ("Kommuner med plan", "current_plan_share", "90"),
    ]:
        response = kari.post(url, indicator_form(year, name=name, metric=metric, target=target))
        assert response.status_code == 302
    # The share gets its unit from the figure when none is given.
    assert Indicator.objects.get(name="Kommuner nådd").unit == "%"
    goal_page = text_of(
        page(client_for, world.consultant, f"/plans/staff/{year.plan.pk}/goal/{year.a1.pk}/")
    )
    assert "Computed by Bokbro: Participants in activities tagged with the goal." in goal_page

    text = text_of(page(client_for, world.consultant, reverse("reports:report", args=[YEAR])))
    # A1's activities in 2025: E1 (2 from Fredrikstad, 1 from Sarpsborg) and E2 (1 from
    # Sarpsborg): 4 participants, 2 of the region's 3 municipalities; of the 3 municipalities
    # only Fredrikstad has a current library plan.
    assert "Kommuner nådd 100 % 66.7 % No" in text
    assert "Deltakere 10 4 No" in text
    assert "Kommuner med plan 90 % 33.3 % No" in text


def test_a_manual_indicator_keeps_no_figure_to_compute(client_for: Any, world: Any) -> None:
    year = make_year(world)
    kari = client_for(world.consultant, language="en")
    url = reverse("plans:part_create", args=[year.plan.pk, "indicators"])
    data = indicator_form(year, name="Utlån", source="manual", metric="participants")
    assert kari.post(url, data).status_code == 302
    assert Indicator.objects.get(name="Utlån").metric == ""
