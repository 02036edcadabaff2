"""The follow-up demo: the demo's activities tagged with the plan's goals, this year's report
introductions in the agency's language, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from bokbro.accounts import demo as accounts_demo
from bokbro.advisory import demo as advisory_demo
from bokbro.directory import demo as directory_demo
from bokbro.directory.models import Agency
from bokbro.events import demo as events_demo
from bokbro.events.models import Event
from bokbro.plans import demo as plans_demo
from bokbro.projects import demo as projects_demo
from bokbro.reports import demo
from bokbro.reports.models import ReportText
from bokbro.reports.report import build_report

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
    directory_demo.load()
    accounts_demo.load()

    def activities() -> None:
        events_demo.load()
        advisory_demo.load()
        projects_demo.load()

    activities()  # before the plans exist: nothing to tag with
    assert tagged_counts() == (0, 0, 0, 0)
    plans_demo.load()
    demo.load()
    activities()  # run again, they tag what they made with the plan's goals
    counts = tagged_counts()
    assert all(counts)
    plans_demo.load()
    demo.load()
    activities()
    assert tagged_counts() == counts
    year = timezone.localdate().year
    jonkoping = Agency.objects.get(slug="jonkoping")
    intro = ReportText.objects.get(agency=jonkoping, year=year, section="intro").text
    assert "likvärdig tillgång" in intro
    report = build_report(jonkoping, year)
    tagged = sum(area.group.activity_count for area in report.followup.areas)
    assert tagged > 0
    assert report.followup.untagged_count > 0  # every fifth is left for staff to tag
