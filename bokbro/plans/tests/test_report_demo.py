"""The follow-up demo: the demo's activities tagged with the plan's goals, this year's report
introductions in the agency's language, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from bokbro.advisory import demo as advisory_demo
from bokbro.core.demo import load_demo, load_demo_events
from bokbro.directory.models import Agency
from bokbro.events.models import Event
from bokbro.plans import demo, demo_report
from bokbro.plans.models import ReportText
from bokbro.plans.report import build_report
from bokbro.projects import demo as projects_demo

pytestmark = pytest.mark.django_db


def tagged_counts() -> tuple[int, ...]:
    from bokbro.advisory.models import Consultation
    from bokbro.projects.models import Project

    return (
        Event.plan_goals.through.objects.count(),
        Consultation.plan_goals.through.objects.count(),
        Project.plan_goals.through.objects.count(),
        ReportText.objects.count(),
    )


def test_the_demo_tags_activities_and_writes_the_introductions_once(client_for: Any) -> None:
    call_command("import_directory")
    load_demo()
    load_demo_events()
    advisory_demo.load()
    projects_demo.load()
    demo_report.load()  # before the plans exist: nothing to do
    assert tagged_counts() == (0, 0, 0, 0)
    demo.load()
    demo_report.load()
    counts = tagged_counts()
    assert all(counts)
    demo_report.load()
    assert tagged_counts() == counts
    year = timezone.localdate().year
    jonkoping = Agency.objects.get(slug="jonkoping")
    intro = ReportText.objects.get(agency=jonkoping, year=year, section="intro").text
    assert "likvärdig tillgång" in intro
    report = build_report(jonkoping, year)
    tagged = sum(area.group.activity_count for area in report.followup.areas)
    assert tagged > 0
    assert report.followup.untagged_count > 0  # every fifth is left for staff to tag
