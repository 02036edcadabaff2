"""The demo (one job-shadowing round between the two demo agencies, idempotent) and what job
shadowing tells the follow-up and the annual report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bokbro.shadowing import demo, plan_source
from bokbro.shadowing.models import Application, Offer, Status
from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.django_db


def test_the_demo_gives_one_round_between_the_two_agencies_and_is_idempotent(swede):
    from bokbro.competence.models import Response
    from bokbro.projects.models import FundingLine
    from bokbro.projects.tests.conftest import make_project

    world = swede
    project = make_project(world, title=demo.PROJECT)
    demo.load()
    first = [Offer.objects.count(), Application.objects.count()]
    demo.load()
    assert [Offer.objects.count(), Application.objects.count()] == first == [2, 2]
    done = Application.objects.get(status=Status.ACCEPTED)
    assert done.offer.agency == world.agency and done.applicant_agency == world.other_agency
    assert done.travel_support_granted == Decimal("4000")
    # The scheme belongs to Østfold's project: Jönköping's travel support is in its funding.
    assert done.offer.project == project
    line = FundingLine.objects.get(project=project, funder__name=world.other_agency.name)
    assert line.granted == Decimal("4000")
    # The guest and the host's manager reported through the competence survey.
    survey = done.offer.report_survey
    assert survey is not None and survey.agency == world.agency and not survey.anonymous
    answered = Response.objects.filter(survey=survey)
    assert sorted(answered.values_list("role", flat=True)) == ["manager", "staff"]
    waiting = Application.objects.get(status=Status.HOST)
    assert waiting.offer.agency == world.other_agency and waiting.applicant_agency == world.agency
    assert all(offer.open_to_other_agencies for offer in Offer.objects.all())


def test_the_report_counts_exchanges_libraries_counties_and_travel_support(swede):
    world = swede
    offer = make_offer(world, days=-20, title="Forbi", places=3)
    accepted_stay(
        world,
        offer,
        world.karin_person,
        world.swedish_library,
        applicant_agency=world.other_agency,
        travel_support_granted=Decimal("1500"),
    )
    accepted_stay(world, offer, world.staff_person, world.library)
    year = offer.starts_on.year
    activities = plan_source.activities(world.agency, year)
    assert len(activities) == 2
    assert "Karin" not in " ".join(a.title for a in activities)  # libraries, not people
    assert {a.title for a in activities} >= {"Värnamo bibliotek → Sarpsborg bibliotek: Forbi"}
    figures = {str(f.label): f.value for f in plan_source.figures(activities)}
    assert figures["Job shadowing exchanges"] == 2
    assert figures["Libraries in job shadowing"] == 3
    assert figures["Counties in job shadowing"] == 2
    assert figures["Travel support granted for job shadowing"] == Decimal("1500")
    # The Swedish agency's report counts its own person's exchange.
    assert len(plan_source.activities(world.other_agency, year)) == 1
