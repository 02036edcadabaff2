"""The daily reminder of overdue follow-ups: one mail per owner a day, with frozen time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bokbro.advisory import services
from bokbro.advisory.models import FollowUpReminder
from bokbro.advisory.periodic import overdue_reminders_send, run
from bokbro.advisory.tests.conftest import make_consultation

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 7) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def follow_ups(world):
    consultation = make_consultation(world)

    def add(what: str, due: date, owner) -> object:
        return services.follow_up_create(
            actor=world.consultant,
            agency=world.agency,
            consultation=consultation,
            what=what,
            due_date=due,
            owner=owner,
        )

    return add


def test_each_owner_gets_one_mail_a_day_listing_their_overdue_follow_ups(
    world, follow_ups, django_capture_on_commit_callbacks
):
    monday = date(2031, 3, 3)
    follow_ups("Sende kursliste", monday - timedelta(days=2), world.consultant)
    follow_ups("Ringe biblioteksjefen", monday - timedelta(days=1), world.consultant)
    follow_ups("Ikke forfalt ennå", monday, world.consultant)
    follow_ups("Ingrids oppgave", monday - timedelta(days=5), world.admin)
    done = follow_ups("Allerede gjort", monday - timedelta(days=9), world.consultant)
    services.follow_up_set_done(actor=world.admin, agency=world.agency, follow_up=done, done=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_send(now=at(monday)) == 2
        # Runs every few minutes: nothing more the same day.
        assert overdue_reminders_send(now=at(monday, 9)) == 0
        assert run(now=at(monday, 15)) == {"overdue follow-up reminders sent": 0}

    assert sorted(m.to[0] for m in mail.outbox) == [world.admin.email, world.consultant.email]
    kari = next(m for m in mail.outbox if m.to == [world.consultant.email])
    assert isinstance(kari, mail.EmailMultiAlternatives)
    assert "Sende kursliste" in kari.body and "Ringe biblioteksjefen" in kari.body
    assert "Ikke forfalt" not in kari.body and "Allerede gjort" not in kari.body
    assert "/advisory/follow-ups/" in kari.body
    assert kari.alternatives  # the HTML part
    assert FollowUpReminder.objects.count() == 2


def test_the_reminder_comes_again_the_next_day_while_still_overdue(
    world, follow_ups, django_capture_on_commit_callbacks
):
    monday = date(2031, 3, 3)
    follow_ups("Sende kursliste", monday - timedelta(days=1), world.consultant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_send(now=at(monday)) == 1
        assert overdue_reminders_send(now=at(monday + timedelta(days=1))) == 1
    assert len(mail.outbox) == 2


def test_no_mail_when_nothing_is_overdue(world, follow_ups, django_capture_on_commit_callbacks):
    monday = date(2031, 3, 3)
    follow_ups("Sende kursliste", monday, world.consultant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_reminders_send(now=at(monday)) == 0
    assert mail.outbox == []
    assert not FollowUpReminder.objects.exists()


def test_the_mail_is_in_the_owner_language_or_else_the_agency_language(
    world, follow_ups, monkeypatch
):
    sent = []
    monkeypatch.setattr("bokbro.advisory.periodic.send_email", lambda **kwargs: sent.append(kwargs))
    world.consultant.language = "sv"
    world.consultant.save(update_fields=["language"])
    monday = date(2031, 3, 3)
    follow_ups("Sende kursliste", monday - timedelta(days=1), world.consultant)
    follow_ups("Ingrids oppgave", monday - timedelta(days=1), world.admin)
    overdue_reminders_send(now=at(monday))
    languages = {kwargs["to"]: kwargs["language"] for kwargs in sent}
    assert languages == {world.consultant.email: "sv", world.admin.email: "nb"}
