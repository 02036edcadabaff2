"""Course evaluations and the periodic work: the built-in evaluation goes after the last session
to those who attended (not to no-shows), one reminder follows, surveys close on their date, and
the averages and response rates reach the annual report's source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from bokbro.competence import periodic, plan_source, services
from bokbro.competence.models import Question, Survey, SurveyStatus
from bokbro.competence.tests.factories import make_survey
from bokbro.events.tests.test_attendance import attend, ended_event, register


def evaluation_template(world: Any) -> Survey:
    template = Survey.objects.create(
        agency=world.agency,
        title={"nb": "Kursevaluering", "en": "Course evaluation"},
        languages=["nb", "en"],
        is_template=True,
    )
    services.question_save(
        actor=world.consultant,
        agency=world.agency,
        question=Question(
            survey=template,
            kind="likert",
            text={"nb": "Samlet vurdering", "en": "Overall"},
            options=[{"nb": str(n)} for n in range(1, 6)],
            required=True,
        ),
    )
    services.question_save(
        actor=world.consultant,
        agency=world.agency,
        question=Question(survey=template, kind="long", text={"nb": "Hva savnet du?"}),
    )
    return template


@pytest.fixture
def course(world: Any) -> dict[str, Any]:
    event = ended_event(world)
    aisha = register(event, "Aisha Bibliotekar", world.staff.email, library=world.library)
    marte = register(event, "Marte Sjef", "marte@sarpsborg.example", library=world.other_library)
    noshow = register(event, "Nils Uteblitt", "nils@example.org")
    attend(world, aisha, 5)
    attend(world, marte, 2)
    attend(world, noshow, 0)
    return {"event": event, "aisha": aisha, "marte": marte, "noshow": noshow}


def test_staff_attach_an_evaluation_from_a_template(world: Any, client: Any, course: Any) -> None:
    template = evaluation_template(world)
    client.force_login(world.consultant)
    url = reverse("competence:event_evaluation", args=[course["event"].pk])
    response = client.post(url, {"template": template.pk})
    assert response.status_code == 302
    survey = Survey.objects.get(event=course["event"])
    assert survey.status == SurveyStatus.OPEN and survey.anonymous
    assert survey.questions.count() == 2
    again = client.post(url, {"template": template.pk})
    assert again.status_code == 200
    assert Survey.objects.filter(event=course["event"]).count() == 1


def test_the_evaluation_goes_to_those_who_attended_after_the_last_session(
    world: Any, course: Any, django_capture_on_commit_callbacks: Any
) -> None:
    template = evaluation_template(world)
    survey = services.evaluation_attach(
        actor=world.consultant, agency=world.agency, event=course["event"], template=template
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = periodic.run()
    assert result["evaluations sent"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.staff.email, "marte@sarpsborg.example"]
    )
    assert "Bokprat for barn" in mail.outbox[0].body
    # Run again: nothing more is sent.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run()["evaluations sent"] == 0
    assert mail.outbox == []
    assert survey.invitations.count() == 2


def test_an_evaluation_waits_for_the_last_session(world: Any) -> None:
    template = evaluation_template(world)
    event = ended_event(world)
    session = event.sessions.last()
    assert session is not None
    later = timezone.now() + timedelta(days=7)
    session.starts_at, session.ends_at = later, later + timedelta(hours=2)
    session.save()
    services.evaluation_attach(
        actor=world.consultant, agency=world.agency, event=event, template=template
    )
    assert periodic.run()["evaluations sent"] == 0


def test_one_reminder_to_those_who_have_not_answered(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    survey = make_survey(world)
    people = services.directory_people(agency=world.agency)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_create(
            actor=world.consultant, agency=world.agency, survey=survey, people=people
        )
    Survey.objects.filter(pk=survey.pk).update(sent_on=timezone.localdate() - timedelta(days=8))
    answered = survey.invitations.get(email=world.staff_person.email)
    answered.answered = True
    answered.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run()["reminders"] == 2
    assert world.staff_person.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic.run()["reminders"] == 0


def test_a_survey_closes_on_its_date(world: Any) -> None:
    survey = make_survey(world)
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    assert periodic.run()["closed"] == 1
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_evaluation_averages_and_response_rates_reach_the_annual_report(
    world: Any, course: Any, client: Any
) -> None:
    template = evaluation_template(world)
    survey = services.evaluation_attach(
        actor=world.consultant, agency=world.agency, event=course["event"], template=template
    )
    periodic.run()
    likert = survey.questions.get(kind="likert")
    for invitation in survey.invitations.all():
        client.post(
            reverse("competence:answer", args=[invitation.token]),
            {f"q{likert.pk}": "4", "action": "send"},
        )
    year = course["event"].starts_at.year
    activities = plan_source.activities(world.agency, year)
    evaluation = next(a for a in activities if a.numbers["evaluation"])
    assert evaluation.numbers["invited"] == 2 and evaluation.numbers["answered"] == 2
    assert "average" not in evaluation.numbers  # two answers: under the anonymity threshold
    with translation.override("en"):
        figures = {str(f.label): f.value for f in plan_source.figures(activities)}
    assert figures["Evaluation response rate"] == 100
    assert figures["Course evaluations"] == 1


def test_the_report_source_reads_in_constant_queries(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    from bokbro.competence.models import Plan

    year = timezone.now().year
    for n in range(3):
        make_survey(world)
        Plan.objects.create(
            agency=world.agency, title=f"Plan {n}", starts_year=year, ends_year=year
        )
    # The surveys, their averages, the plans in force and the plans' goals.
    with django_assert_max_num_queries(4):
        found = plan_source.activities(world.agency, year)
    assert len([a for a in found if a.numbers.get("plan")]) == 3


def test_the_event_staff_page_links_to_its_evaluation(
    world: Any, client_for: Any, course: Any
) -> None:
    kari = client_for(world.consultant, language="en")
    page = kari.get(reverse("events_staff:detail", args=[course["event"].pk])).content.decode()
    assert "Add a built-in evaluation" in page
    services.evaluation_attach(
        actor=world.consultant,
        agency=world.agency,
        event=course["event"],
        template=evaluation_template(world),
    )
    periodic.run()
    page = kari.get(reverse("events_staff:detail", args=[course["event"].pk])).content.decode()
    assert "Built-in evaluation: 0 of 2 answered" in page
    evaluation = kari.get(reverse("competence:event_evaluation", args=[course["event"].pk]))
    assert evaluation.status_code == 200
    assert "Response rate" in evaluation.content.decode()
