"""The periodic work: the host reminded once of an unanswered application, the guest and the
host asked once for their reports when the stay is over, refused applications forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bokbro.shadowing import services
from bokbro.shadowing.models import Application, Status
from bokbro.shadowing.periodic import run
from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.django_db


def test_the_host_is_reminded_once_after_a_week(world, mails):
    application = services.application_create(
        actor=world.manager,
        agency=world.agency,
        offer=make_offer(world),
        person=world.manager_person,
        library=world.library,
        motivation="Jeg vil lære.",
    )
    now = timezone.now()
    assert mails(lambda: run(now + timedelta(days=6)))[1] == []
    result, sent = mails(lambda: run(now + timedelta(days=8)))
    assert result["shadowing.hosts_reminded"] == 1
    assert [m.to for m in sent] == [["hospitering@sarpsborg.example"]]
    assert application.get_absolute_url() in sent[0].body
    assert mails(lambda: run(now + timedelta(days=9)))[1] == []


def test_the_manager_is_reminded_once_after_a_week(world, mails):
    application = services.application_create(
        actor=world.staff,
        agency=world.agency,
        offer=make_offer(world),
        person=world.staff_person,
        library=world.library,
        motivation="Jeg vil lære.",
    )
    now = timezone.now()
    assert mails(lambda: run(now + timedelta(days=6)))[1] == []
    result, sent = mails(lambda: run(now + timedelta(days=8)))
    assert result["shadowing.managers_reminded"] == 1
    assert [m.to for m in sent] == [["ola@fredrikstad.example"]]
    assert application.get_absolute_url() in sent[0].body
    assert mails(lambda: run(now + timedelta(days=9)))[1] == []


def test_the_guest_and_the_host_are_asked_for_reports_once_the_stay_is_over(world, mails):
    stay = accepted_stay(
        world, make_offer(world, days=-10, title="Forbi"), world.staff_person, world.library
    )
    coming = accepted_stay(
        world, make_offer(world, title="Snart"), world.manager_person, world.library
    )
    result, sent = mails(lambda: run())
    assert result["shadowing.reports_asked"] == 1
    assert sorted(m.to[0] for m in sent) == [
        "aisha@fredrikstad.example",
        "hospitering@sarpsborg.example",
    ]
    assert all(stay.get_absolute_url() in m.body for m in sent)
    assert mails(lambda: run())[1] == []
    coming.refresh_from_db()
    assert coming.reports_asked_at is None


def test_a_report_written_already_is_not_asked_for(world, mails):
    accepted_stay(
        world,
        make_offer(world, days=-10, title="Forbi"),
        world.staff_person,
        world.library,
        guest_report="Fint.",
    )
    _result, sent = mails(lambda: run())
    assert [m.to for m in sent] == [["hospitering@sarpsborg.example"]]


def test_refused_applications_are_forgotten_after_a_year(world):
    offer = make_offer(world)
    application = services.application_create(
        actor=world.staff,
        agency=world.agency,
        offer=offer,
        person=world.staff_person,
        library=world.library,
        motivation="Personlig grunn.",
    )
    services.application_consent(actor=world.manager, application=application, approve=False)
    assert run(timezone.now() + timedelta(days=300))["shadowing.refused_deleted"] == 0
    assert run(timezone.now() + timedelta(days=366))["shadowing.refused_deleted"] == 1
    assert not Application.objects.filter(status=Status.DECLINED).exists()


def test_with_a_report_survey_the_guest_and_the_host_manager_answer_it(world, mails, client_for):
    from bokbro.competence.models import Invitation
    from bokbro.competence.tests.factories import make_survey

    survey = make_survey(world, anonymous=False)
    offer = make_offer(world, days=-10, title="Forbi")
    services.offer_save(
        actor=world.consultant, agency=world.agency, offer=offer, report_survey=survey
    )
    stay = accepted_stay(world, offer, world.staff_person, world.library)
    _result, sent = mails(lambda: run())
    invited = set(Invitation.objects.filter(survey=survey).values_list("email", flat=True))
    assert invited == {"aisha@fredrikstad.example", "marte@sarpsborg.example"}
    # The competence engine's personal links, instead of the report form's mail.
    assert sorted(m.to[0] for m in sent) == sorted(invited)
    assert all("/competence/answer/" in m.body for m in sent)
    page = client_for(world.consultant).get(stay.get_absolute_url()).content.decode()
    assert "collected with the survey" in page
    assert f"/competence/staff/surveys/{survey.pk}/results/" in page
    assert (
        client_for(world.staff).get(stay.get_absolute_url()).content.decode().count('name="side"')
        == 0
    )
