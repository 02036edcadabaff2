"""A queued task is a row that names its task by dotted path (django-tasks-db): tasks queued
before events' tasks moved into tasks.py still run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test.utils import override_settings
from django.utils.module_loading import import_string
from django_tasks.base import Task

from bokbro.events import tasks
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}

# Every dotted path an events task has been queued under, and the task it names now.
PATHS = {
    "bokbro.events.tasks.notify_registration": tasks.notify_registration,
    "bokbro.events.tasks.send_notices": tasks.send_notices,
    "bokbro.events.tasks.send_certificate": tasks.send_certificate,
    "bokbro.events.tasks.send_evaluation": tasks.send_evaluation,
    "bokbro.events.tasks.announce_material": tasks.announce_material,
    "bokbro.events.tasks.email_participant": tasks.email_participant,
    "bokbro.events.attendance_tasks.send_certificate": tasks.send_certificate,
    "bokbro.events.attendance_tasks.send_evaluation": tasks.send_evaluation,
    "bokbro.events.material_tasks.announce_material": tasks.announce_material,
    "bokbro.events.staff_tasks.email_participant": tasks.email_participant,
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_path_a_task_was_queued_under_names_it(path: str) -> None:
    found = import_string(path)
    assert isinstance(found, Task)
    assert found is PATHS[path]


@pytest.mark.django_db
def test_a_row_queued_under_an_old_path_runs(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    event = make_event(world.agency)
    registration = registration_create(
        event=event, name="Aisha", email="aisha@example.org", language="en"
    )
    mail.outbox.clear()
    with override_settings(TASKS=QUEUE):
        tasks.email_participant.enqueue(
            registration_id=registration.pk, subject="Parkering", message="Bruk bakgården."
        )
    row = DBTaskResult.objects.get(task_path__endswith="email_participant")
    row.task_path = "bokbro.events.staff_tasks.email_participant"  # as queued before the move
    row.save(update_fields=["task_path"])

    row.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert row.task.call(**row.args_kwargs["kwargs"]) is True
    assert [m.to for m in mail.outbox] == [["aisha@example.org"]]
