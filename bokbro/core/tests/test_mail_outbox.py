"""The task queue holds ids, not messages: a mail's address, text and personal link live in
`core.models.OutgoingMail` only until the mail server has them, and what the queue keeps is
pruned by the periodic work (issue 13)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bokbro.core import housekeeping
from bokbro.core.emails import send_email
from bokbro.core.models import OutgoingMail
from bokbro.core.tasks import deliver_email

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
SECRET_LINK = "https://bokbro.example/p/5e3c0d1a-personal-link"


def queue_one(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with override_settings(TASKS=QUEUE), django_capture_on_commit_callbacks(execute=True):
        send_email(
            to="kari.nordmann.unique@example.org",
            template="events/bulk",
            context={"subject": "Parkering", "message": "Bruk bakgården.", "link": SECRET_LINK},
            agency=world.agency,
            language="nb",
        )


def run_worker() -> None:
    with override_settings(TASKS=QUEUE):
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay")


@pytest.mark.django_db(transaction=True)
def test_the_queue_holds_only_an_id_and_the_message_is_gone_once_sent(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    queue_one(world, django_capture_on_commit_callbacks)
    row = DBTaskResult.objects.get(task_path__endswith="deliver_email")
    stored = json.dumps(row.args_kwargs)
    assert "kari.nordmann" not in stored and SECRET_LINK not in stored
    assert row.args_kwargs["kwargs"] == {"mail_id": OutgoingMail.objects.get().pk}

    run_worker()

    assert [m.to for m in mail.outbox] == [["kari.nordmann.unique@example.org"]]
    assert SECRET_LINK in mail.outbox[0].body
    assert not OutgoingMail.objects.exists()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert "kari.nordmann" not in json.dumps([row.args_kwargs, row.return_value, row.traceback])


@pytest.mark.django_db
def test_a_delivery_that_runs_again_sends_nothing_twice(world: Any) -> None:
    message = OutgoingMail.objects.create(recipients=["a@example.org"], subject="Hei", text="Tekst")
    assert deliver_email.call(mail_id=message.pk) == 1
    assert deliver_email.call(mail_id=message.pk) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_task_queued_before_the_upgrade_still_delivers_its_message() -> None:
    sent = deliver_email.call(to=["old@example.org"], subject="Gammel", text="Tekst", html=None)
    assert sent == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["old@example.org"], "Gammel")]


@pytest.mark.django_db
def test_a_failed_delivery_keeps_the_message_until_the_failures_are_pruned(world: Any) -> None:
    message = OutgoingMail.objects.create(recipients=["a@example.org"], subject="Hei", text="T")
    broken = override_settings(EMAIL_BACKEND="bokbro.core.tests.test_mail_outbox.BrokenBackend")
    with broken, pytest.raises(ConnectionError):
        deliver_email.call(mail_id=message.pk)
    assert OutgoingMail.objects.filter(pk=message.pk).exists()  # nothing lost yet

    now = timezone.now()
    assert housekeeping.undelivered_mail_prune(now=now + timedelta(days=20)) == 0
    assert housekeeping.undelivered_mail_prune(now=now + timedelta(days=22)) == 1


class BrokenBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionError("the mail server is down")


def result(status: str, finished_days_ago: float) -> DBTaskResult:
    finished = timezone.now() - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {"mail_id": 1}},
        task_path="bokbro.core.tasks.deliver_email",
        queue_name="email",
        backend_name="default",
        run_after=finished,
        finished_at=finished,
    )


@pytest.mark.django_db
def test_periodic_work_prunes_finished_tasks_after_days_and_failed_ones_after_weeks() -> None:
    old_done = result(TaskResultStatus.SUCCESSFUL, 4)
    new_done = result(TaskResultStatus.SUCCESSFUL, 2)
    failed_last_week = result(TaskResultStatus.FAILED, 7)
    failed_long_ago = result(TaskResultStatus.FAILED, 22)
    waiting = result(TaskResultStatus.READY, 100)

    call_command("periodic", stdout=open("/dev/null", "w"))  # noqa: SIM115

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {new_done.pk, failed_last_week.pk, waiting.pk}
    assert old_done.pk not in left and failed_long_ago.pk not in left
