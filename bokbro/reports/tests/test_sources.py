"""The activity sources of events, advisory and projects: what each counts for a year."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bokbro.advisory.plan_source import activities as consultations_of
from bokbro.core.sources import Funding
from bokbro.events.plan_source import activities as events_of
from bokbro.events.plan_source import figures as event_figures
from bokbro.projects.plan_source import activities as projects_of
from bokbro.projects.plan_source import figures as project_figures
from bokbro.reports.registry import registered
from bokbro.reports.tests.report_fixtures import YEAR, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def year(world: Any) -> Any:
    return make_year(world)


def test_the_modules_register_their_sources() -> None:
    keys = [source.key for source in registered()]
    assert keys == [
        "events",
        "advisory",
        "dialogues",
        "projects",
        "classsets",
        "competence",
        "mobile",
        "networks",
        "publications",
        "shadowing",
    ]


def test_events_count_published_events_of_the_year_with_confirmed_participants(
    world: Any, year: Any
) -> None:
    found = {a.title: a for a in events_of(world.agency, YEAR)}
    assert sorted(found) == ["Bokprat for barn", "Digital kompetanse", "Lesesirkelnettverk"]
    course = found["Bokprat for barn"]
    assert course.people == 3  # not the cancelled one nor the one waiting
    assert course.numbers["attended"] == 2
    assert course.numbers["certificates"] == 2
    assert course.library_ids == {world.library.pk, world.other_library.pk}
    assert course.municipality_ids == {world.municipality.pk, world.other_library.municipality_id}
    assert course.goal_ids == {year.a1.pk}
    assert course.url == reverse("events_staff:detail", args=[year.events["e1"].pk])
    # Awaiting the manager's approval is not a participant yet.
    assert found["Lesesirkelnettverk"].people == 1
    assert found["Digital kompetanse"].library_ids == frozenset()


def test_event_figures_give_the_attendance_rate_of_the_events_with_attendance_marked(
    world: Any, year: Any
) -> None:
    figures = {str(f.label): f.value for f in event_figures(events_of(world.agency, YEAR))}
    assert figures == {
        "Number of events": 3,
        "Participants": 5,
        "Attended": 2,
        "Attendance rate": Decimal("67"),
        "Certificates": 2,
    }


def test_events_not_ended_yet_count_their_registrations_apart_and_reach_no_one_yet(
    world: Any, year: Any, monkeypatch: Any
) -> None:
    # The report is read on 4 September 2025 at noon, while "Lesesirkelnettverk" (10–14) runs;
    # "Digital kompetanse" is in November, "Bokprat for barn" ended in March.
    moment = year.events["e2"].starts_at + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    found = {a.title: a for a in events_of(world.agency, YEAR)}
    figures = {str(f.label): f.value for f in event_figures(list(found.values()))}

    running = found["Lesesirkelnettverk"]
    assert running.people == 0 and running.library_ids == frozenset()
    assert running.numbers["coming_registered"] == 1
    assert found["Bokprat for barn"].people == 3
    assert figures == {
        "Number of events": 1,
        "Participants": 3,
        "Attended": 2,
        "Attendance rate": Decimal("67"),
        "Certificates": 2,
        "Coming events": 2,
        "Registered for coming events": 2,
    }


def test_consultations_reach_municipalities_through_their_libraries(world: Any, year: Any) -> None:
    found = consultations_of(world.agency, YEAR)
    assert len(found) == 2
    visit = next(a for a in found if a.numbers["hours"] == Decimal("1.5"))
    assert visit.library_ids == {world.library.pk}
    assert visit.title == "Visit: Fredrikstad bibliotek"
    assert visit.municipality_ids == {world.municipality.pk}
    meeting = next(a for a in found if a.numbers["hours"] == Decimal("2"))
    assert meeting.library_ids == frozenset()
    assert meeting.municipality_ids == {world.other_library.municipality_id}
    assert meeting.title == "Meeting: Sarpsborg"


def test_projects_count_active_projects_measures_done_and_funding_granted_in_the_year(
    world: Any, year: Any
) -> None:
    found = projects_of(world.agency, YEAR)
    project = next(a for a in found if a.numbers["projects"])
    measures = [a for a in found if a.numbers["measures_done"]]
    assert project.title == "Meråpne bibliotek"
    assert project.numbers["funding"] == {
        "Nasjonalbiblioteket": Funding(
            applied=Decimal("400000"), granted=Decimal("300000"), reported=Decimal("120000")
        ),
        "Østfold fylkeskommune": Funding(applied=Decimal("150000"), granted=Decimal("100000")),
        # Own staff time is own funding, never applied for or granted.
        "Egeninnsats": Funding(own=Decimal("80000")),
    }
    assert [m.title for m in measures] == ["Opplæring av ansatte (Meråpne bibliotek)"]
    # A measure serves its own goals and its project's.
    assert measures[0].goal_ids == {year.a2.pk, year.b1.pk}
    figures = {str(f.label): f.value for f in project_figures(found)}
    assert figures["Number of projects"] == 1
    assert figures["Measures done"] == 1
    assert figures["Funding granted"] == Decimal("400000")
    assert figures["Own funding"] == Decimal("80000")
    assert "Granted by Egeninnsats" not in figures
    assert figures["Granted by Nasjonalbiblioteket"] == Decimal("300000")


def test_a_project_with_funding_granted_for_the_year_counts_even_before_it_runs(
    world: Any, year: Any
) -> None:
    from bokbro.projects.models import Project, ProjectStatus

    Project.objects.filter(pk=year.project.pk).update(status=ProjectStatus.APPLIED)
    assert [a.title for a in projects_of(world.agency, YEAR) if a.numbers["projects"]] == [
        "Meråpne bibliotek"
    ]
    # Without funding for 2027 and not running, it is not active then.
    assert projects_of(world.agency, 2027) == []


def test_another_agencys_activities_are_not_counted(world: Any, year: Any) -> None:
    assert events_of(world.other_agency, YEAR) == []
    assert consultations_of(world.other_agency, YEAR) == []
    assert projects_of(world.other_agency, YEAR) == []


@pytest.mark.parametrize(
    "read", [events_of, consultations_of, projects_of], ids=["events", "advisory", "projects"]
)
def test_each_source_reads_the_year_in_a_fixed_number_of_queries(
    world: Any, year: Any, read: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        read(world.agency, YEAR)
    _grow(world, year)
    with CaptureQueriesContext(connection) as large:
        assert len(read(world.agency, YEAR)) > 0
    assert len(large) == len(small)


def _grow(world: Any, year: Any) -> None:
    """Ten more of everything, tagged and reaching libraries."""
    from datetime import date

    from bokbro.advisory.models import Consultation
    from bokbro.projects.models import Measure, MeasureStatus, Partner, Project, ProjectStatus
    from bokbro.reports.tests.report_fixtures import _event, _registration

    for i in range(10):
        event = _event(world, f"Kurs {i}", "course", date(YEAR, 4, 1 + i))
        event.plan_goals.set([year.a1, year.b1])
        _registration(event, 0, "confirmed", world.library)
        _registration(event, 1, "confirmed", world.other_library)
        c = Consultation.objects.create(
            agency=world.agency,
            date=date(YEAR, 5, 1 + i),
            kind="visit",
            consultant=world.consultant,
            summary="x",
        )
        c.libraries.set([world.library, world.other_library])
        c.plan_goals.set([year.a2])
        p = Project.objects.create(
            agency=world.agency, title=f"P{i}", status=ProjectStatus.RUNNING, currency="NOK"
        )
        p.plan_goals.set([year.b1])
        Partner.objects.create(project=p, library=world.other_library)
        m = Measure.objects.create(
            project=p, title="M", status=MeasureStatus.DONE, ends_on=date(YEAR, 8, 1)
        )
        m.plan_goals.set([year.a1])


def test_an_annual_dialogue_counts_like_a_consultation_for_the_goals_discussed(
    client_for: Any, world: Any, year: Any
) -> None:
    """A dialogue with Halden (not reached by anything else in the hand-counted year) reaches
    it, counts its hours, and counts for the goals whose status was discussed."""
    from datetime import date

    from bokbro.plans.dialogue_source import activities as dialogues_of
    from bokbro.plans.dialogue_source import figures as dialogue_figures
    from bokbro.plans.models import Dialogue, DialogueGoalStatus
    from bokbro.reports.report import build_report

    dialogue = Dialogue.objects.create(
        agency=world.agency,
        municipality=year.halden,
        year=YEAR,
        date=date(YEAR, 3, 4),
        hours=Decimal("2.5"),
        consultant=world.consultant,
    )
    DialogueGoalStatus.objects.create(dialogue=dialogue, goal=year.a1, status="under_way")
    DialogueGoalStatus.objects.create(dialogue=dialogue, goal=year.b1, status="not_relevant")
    Dialogue.objects.create(
        agency=world.agency, municipality=year.halden, year=YEAR - 1, date=date(YEAR - 1, 3, 4)
    )
    [found] = dialogues_of(world.agency, YEAR)
    assert found.title == "Annual dialogue: Halden"
    assert found.goal_ids == {year.a1.pk}
    assert found.municipality_ids == {year.halden.pk}
    assert [(str(f.label), f.value) for f in dialogue_figures([found])] == [
        ("Annual dialogues", 1),
        ("Hours in annual dialogues", Decimal("2.5")),
    ]
    report = build_report(world.agency, YEAR)
    assert report.not_reached == []  # Halden is reached now: every municipality of county 31
    from bokbro.reports.tests.test_report import page, text_of

    text = text_of(page(client_for, world.consultant, reverse("reports:report", args=[YEAR])))
    assert "Hours in annual dialogues 2.5 h" in text
    assert "Not reached: Halden." not in text
