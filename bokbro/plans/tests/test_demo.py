"""The plans demo: on the real directory, for both demo agencies, and idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from bokbro.accounts import demo as accounts_demo
from bokbro.directory import demo as directory_demo
from bokbro.directory.models import Agency, Library
from bokbro.plans import demo
from bokbro.plans.kb import municipal_plan_counts, municipal_plan_overview
from bokbro.plans.models import Dialogue, DialogueTemplate, MunicipalPlan, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_agency_a_plan_a_register_with_every_status_and_dialogues(
    client_for,
):
    call_command("import_directory")
    directory_demo.load()
    accounts_demo.load()
    demo.load()
    counts = [m.objects.count() for m in (Plan, MunicipalPlan, DialogueTemplate, Dialogue)]
    demo.load()
    assert counts == [m.objects.count() for m in (Plan, MunicipalPlan, DialogueTemplate, Dialogue)]
    year = timezone.localdate().year
    for agency in Agency.objects.all():
        plan = Plan.objects.get(agency=agency)
        assert plan.covers(year) and plan.is_published
        assert plan.goals.count() >= 4 and plan.actions.filter(year=year).exists()
        figures = municipal_plan_counts(agency, year)
        assert figures.current and figures.expired and figures.missing and figures.expires_soon
        assert DialogueTemplate.objects.filter(agency=agency).count() == 2
        assert Dialogue.objects.filter(agency=agency, year=year).count() == 2
    jonkoping = Agency.objects.get(slug="jonkoping")
    assert (
        Plan.objects.get(agency=jonkoping)
        .focus_areas.filter(title="Biblioteken i samhället")
        .exists()
    )
    assert Plan.objects.get(agency=jonkoping).title.startswith(
        "Biblioteksplan Region Jönköpings län"
    )
    # Each dialogue counts for the goals it discussed, not for every goal of the plan.
    for dialogue in Dialogue.objects.filter(agency=jonkoping):
        discussed = dialogue.goal_statuses.count()
        assert 0 < discussed < Plan.objects.get(agency=jonkoping).goals.count()
    varnamo = next(
        row for row in municipal_plan_overview(jonkoping, year) if row.municipality.code == "0683"
    )
    assert varnamo.expires_soon and varnamo.plan.ends_year == year + 1

    # Scenario 2: Sven opens his library's page and sees the plan flagged.
    sven = Library.objects.get(roles__person__email="sven.karlsson@varnamo.example")
    from bokbro.accounts.models import User

    user = User.objects.get(email="sven.karlsson@varnamo.example")
    page = client_for(user, host="jonkoping.localhost", language="en").get(
        f"/directory/libraries/{sven.pk}/profile/"
    )
    assert "Biblioteksplan för Värnamo" in page.content.decode()
    assert "Expires soon" in page.content.decode()
    assert "Budgeten för nästa år är osäker." not in page.content.decode()
