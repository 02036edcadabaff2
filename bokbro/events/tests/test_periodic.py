"""Reminders, expiring offers and anonymisation run as periodic work; each is idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from bokbro.events.models import Registration, RegistrationStatus
from bokbro.events.periodic import registrations_anonymise, reminders_send
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def test_confirmed_participants_get_one_reminder_at_the_configured_time(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1, reminder_hours=48)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go out
        registration_create(event=event, name="A", email="a@example.org", language="en")
        registration_create(event=event, name="W", email="w@example.org", language="en")
    too_early = event.starts_at - timedelta(hours=49)
    on_time = event.starts_at - timedelta(hours=47)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=too_early) == 0
        assert reminders_send(now=on_time) == 1
        assert reminders_send(now=on_time + timedelta(minutes=5)) == 0  # already sent
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert mail.outbox[0].attachments[0][2] == "text/calendar"


def test_no_reminder_when_the_event_turns_it_off(world):
    event = make_event(world.agency, reminder_hours=0)
    registration_create(event=event, name="A", email="a@example.org")
    assert reminders_send(now=event.starts_at - timedelta(hours=1)) == 0


def test_personal_data_is_deleted_after_the_retention_period_and_counts_are_kept(world, client_for):
    event = make_event(world.agency, capacity=1, retention_months=6)
    kept = registration_create(
        event=event,
        name="Aisha",
        email="aisha@example.org",
        library=world.library,
        answers={"Allergier": "nøtter"},
    )
    waiting = registration_create(event=event, name="Per", email="per@example.org")
    registration_cancel(registration=waiting)
    token = kept.token

    assert registrations_anonymise(now=event.ends_at + timedelta(days=150)) == 0
    assert registrations_anonymise(now=event.ends_at + timedelta(days=200)) == 2
    assert registrations_anonymise(now=event.ends_at + timedelta(days=400)) == 0

    kept.refresh_from_db()
    assert kept.name == "" and "aisha" not in kept.email and kept.answers == {}
    assert kept.status == RegistrationStatus.CONFIRMED and kept.library == world.library
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1
    # The personal link no longer opens anything.
    response = client_for(None, language="en").get(f"/events/registration/{token}/")
    assert response.status_code == 404
    assert "The link does not work" in response.content.decode()


def test_the_periodic_command_reports_what_it_did(world, capsys):
    call_command("periodic")
    out = capsys.readouterr().out
    assert "event reminders sent: 0" in out
    assert "registrations anonymised: 0" in out
