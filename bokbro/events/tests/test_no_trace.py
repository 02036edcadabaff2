"""Nothing of a participant is left once their data has served its purpose (issue 13): after
the event's retention period, and after they delete their account, no text column of any table
and no file in the media folder holds their name or address — also not the task queue, the
messages it sent, the audit log or the sessions — and their personal link no longer opens.

Each test walks a whole participant's life through the pages and services, with the production
task queue (a database table) and its worker, so every mail the flow has is really sent."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from bokbro.accounts.services import user_create
from bokbro.core import housekeeping
from bokbro.core.modules import resolved
from bokbro.events.models import Event, Registration, RegistrationStatus
from bokbro.events.periodic import reminders_send
from bokbro.events.services.attendance import (
    attendance_mark,
    certificates_issue,
    evaluation_send,
)
from bokbro.events.services.material import material_add
from bokbro.events.services.notices import participants_email
from bokbro.events.tests.conftest import make_event

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
NAME = "Quintessa Vrålstad"
EMAIL = "quintessa.vralstad@example.org"
NEEDLES = ["Quintessa", "Vrålstad", "quintessa.vralstad"]

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def database_queue(settings: Any, tmp_path: Path) -> None:
    settings.TASKS = QUEUE
    settings.MEDIA_ROOT = tmp_path


def work() -> None:
    """What the worker does between two pages: every queued task."""
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")


def traces(needles: list[str] = NEEDLES) -> list[str]:
    """Every place (table.column #pk, or a media file) that still holds a needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField, models.JSONField))
        ]
        if not fields:
            continue
        names = [field.attname for field in fields]
        for pk, *values in model._base_manager.values_list("pk", *names):
            for field, value in zip(fields, values, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle.lower() in text.lower() for needle in needles):
                    found.append(f"{model._meta.db_table}.{field.column} #{pk}")
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            if any(needle.lower().encode() in content for needle in needles):
                found.append(f"media {path.relative_to(settings.MEDIA_ROOT)}")
    return found


def into_the_past(event: Event) -> None:
    """The event took place: its sessions move to last week."""
    shift = event.ends_at - (timezone.now() - timedelta(days=7))
    for session in event.sessions.all():
        session.starts_at -= shift
        session.ends_at -= shift
        session.save(update_fields=["starts_at", "ends_at"])
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
    )
    event.refresh_from_db()


def a_whole_course(world: Any, client: Any) -> Registration:
    """Registration on the public page and every mail a participant gets, through the event."""
    event = make_event(
        world.agency,
        actor=world.consultant,
        title="Bokprat",
        certificate_min_sessions=1,
        evaluation_url="https://forms.example.org/bokprat",
        retention_months=1,
    )
    data = {"name": NAME, "email": EMAIL, "library": world.library.pk}
    assert client.post(f"/events/{event.pk}/register/", data).status_code == 302
    work()
    registration = Registration.objects.get(email=EMAIL)
    if registration.user_id is None:
        # Without signing in the place is held until confirmed from the mail's link (the held
        # mail, then the confirmation: both are mails the scan must not find a trace of).
        assert registration.status == RegistrationStatus.HELD
        confirm = f"/events/registration/{registration.token}/confirm/"
        assert client.post(confirm).status_code == 302
        work()
        registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    participants_email(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        statuses=[RegistrationStatus.CONFIRMED],
        subject="Parkering",
        message="Bruk bakgården.",
    )
    material_add(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        title="Lysark",
        kind="link",
        url="https://example.org/lysark",
    )
    reminders_send(now=event.starts_at - timedelta(hours=1))
    work()
    into_the_past(event)
    for session in event.sessions.all():
        attendance_mark(
            actor=world.consultant,
            agency=world.agency,
            registration=registration,
            session=session,
            present=True,
        )
    certificates_issue(actor=world.consultant, agency=world.agency, event=event)
    evaluation_send(actor=world.consultant, agency=world.agency, event=event)
    work()
    sent = [m for m in mail.outbox if EMAIL in m.to]
    assert len(sent) >= 6, [m.subject for m in sent]  # confirmation … evaluation
    return registration


def periodic_work(now: Any) -> None:
    for _module, run in resolved("periodic"):
        run(now=now)
    housekeeping.run(now=now)


def test_after_the_retention_period_nothing_of_the_participant_is_left(world, client_for):
    registration = a_whole_course(world, client_for(None, language="en"))
    token = registration.token
    assert traces()  # the scan finds what is there

    periodic_work(now=timezone.now() + timedelta(days=60))

    assert traces() == []
    response = client_for(None, language="en").get(f"/events/registration/{token}/")
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.token != token
    assert registration.status == RegistrationStatus.CONFIRMED  # the counts stay


def test_after_deleting_the_account_nothing_of_the_person_is_left(world, client_for):
    user = user_create(email=EMAIL, name=NAME, language="en")
    client = client_for(user, language="en")
    registration = a_whole_course(world, client)
    token = registration.token
    coming = make_event(world.agency, title="Høstkurs")
    data = {"name": NAME, "email": EMAIL, "library": world.library.pk}
    assert client.post(f"/events/{coming.pk}/register/", data).status_code == 302
    work()
    assert client.get("/me/export/").content.decode().count("Høstkurs") == 1

    response = client.post("/me/delete/", {"confirm": EMAIL})
    assert response.status_code == 302
    work()
    periodic_work(now=timezone.now() + timedelta(days=30))  # the queue's leftovers, not retention

    assert traces() == []
    assert client_for(None).get(f"/events/registration/{token}/").status_code == 404
    # The coming course's place is given back, and counted as a cancellation.
    assert coming.registrations.get().status == RegistrationStatus.CANCELLED
