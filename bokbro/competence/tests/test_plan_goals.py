"""A competence development plan serves goals of the regional plan (issue 16): chosen on its
form, shown on its page, and counted under those goals in the follow-up and annual report."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bokbro.competence import plan_source
from bokbro.competence.models import Plan
from bokbro.reports.tests.report_fixtures import make_plan

pytestmark = pytest.mark.django_db


def test_a_competence_plan_serves_goals_of_the_regional_plan(world: Any, client_for: Any) -> None:
    _plan, _a, _b, a1, _a2, b1 = make_plan(world.agency)
    *_rest, foreign = make_plan(world.other_agency, title="Regional biblioteksplan Jönköping")
    client = client_for(world.consultant, language="en")
    year = timezone.localdate().year
    form = client.get(reverse("competence:plan_create")).content.decode()
    assert "Goals of the plan" in form
    assert f'value="{a1.pk}" id="id_plan_goals_' in form
    assert f'value="{foreign.pk}" id="id_plan_goals_' not in form

    data = {"title": "Kompetanseplan", "starts_year": year, "ends_year": year + 2}
    response = client.post(reverse("competence:plan_create"), {**data, "plan_goals": [foreign.pk]})
    assert not Plan.objects.exists()  # another agency's goal is not a choice
    response = client.post(reverse("competence:plan_create"), {**data, "plan_goals": [a1.pk]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert list(plan.plan_goals.all()) == [a1]
    page = client.get(reverse("competence:plan", args=[plan.pk])).content.decode()
    assert str(a1) in page

    with translation.override("en"):
        found = [a for a in plan_source.activities(world.agency, year) if a.numbers.get("plan")]
        assert [(a.title, a.goal_ids) for a in found] == [("Kompetanseplan", frozenset({a1.pk}))]
        figures = {str(f.label): f.value for f in plan_source.figures(found)}
    assert figures["Competence development plans"] == 1
    assert figures["Surveys of library staff"] == 0
    # Not in force the year after its period.
    assert not [a for a in plan_source.activities(world.agency, year + 3) if a.numbers.get("plan")]
    assert b1 not in plan.plan_goals.all()


def test_a_goal_too_long_is_refused_with_the_reason_and_the_old_goal_kept(
    world: Any, client_for: Any
) -> None:
    from bokbro.competence.models import CompetenceArea, PlanArea

    year = timezone.localdate().year
    plan = Plan.objects.create(agency=world.agency, title="Plan", starts_year=year, ends_year=year)
    area = CompetenceArea.objects.create(agency=world.agency, name={"nb": "Formidling"})
    row = PlanArea.objects.create(plan=plan, area=area, goal="Alle kan bokprat")
    client = client_for(world.consultant, language="en")
    url = reverse("competence:plan_area_edit", args=[row.pk])

    page = client.post(url, {"goal": "x" * 2001}, follow=True).content.decode()
    assert "at most 2000 characters" in page
    row.refresh_from_db()
    assert row.goal == "Alle kan bokprat"  # not cut to 2,000 characters and saved

    client.post(url, {"goal": "Alle kan veilede i e-bøker"})
    row.refresh_from_db()
    assert row.goal == "Alle kan veilede i e-bøker"
