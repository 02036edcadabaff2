"""The demo: per agency a framework, a completed mapping with enough answers to show, a plan
built from its biggest gaps, and an evaluated course; loading twice changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.competence import demo, selectors
from bokbro.competence.models import CompetenceArea, Plan, Response, Survey

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    return [m.objects.count() for m in (CompetenceArea, Survey, Response, Plan)]


def test_the_demo_is_idempotent_and_complete(world: Any) -> None:
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    for agency in (world.agency, world.other_agency):
        mapping = Survey.objects.get(agency=agency, kind="mapping")
        assert mapping.status == "closed"
        results = selectors.results(mapping, "nb")
        assert not results.withheld and results.responses >= 40
        found = selectors.gaps(mapping, "nb")
        assert found and found[0].gap is not None and found[0].gap > 0
        plan = Plan.objects.get(agency=agency)
        assert plan.areas.count() == 3
        evaluation = Survey.objects.get(agency=agency, event__isnull=False)
        assert evaluation.invitations.count() == 12  # those who came, not the two who did not
        assert evaluation.responses.count() == 10
