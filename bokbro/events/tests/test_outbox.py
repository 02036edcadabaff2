"""The notification outbox: a new registration's confirmation (or waiting-list) e-mail is kept on
the registration row and sent by one task per event, each exactly once — also when that task
runs twice, at the same time as another, or is killed half-way (docs/concurrency.md)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import override_settings

from bokbro.events import mails
from bokbro.events.mails import notices_send
from bokbro.events.models import Event, Registration, RegistrationStatus
from bokbro.events.services.notices import notices_send_pending
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

QUEUES = ["default", "email"]
# Tasks are queued and never run: what a lost task, or a worker that is down, leaves behind.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": QUEUES}}
# The production queue: a task is a row, committed (or rolled back) with the caller's writes.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}


def register(event: Event, n: int, **kwargs: Any) -> list[Registration]:
    return [
        registration_create(
            event=event, name=f"Deltaker {i}", email=f"p{i}@example.org", language="en", **kwargs
        )
        for i in range(n)
    ]


def pending(event: Event) -> list[str]:
    return list(event.registrations.exclude(notice="").values_list("email", flat=True))


def queued_deliveries() -> Counter[str]:
    from django_tasks_db.models import DBTaskResult

    from bokbro.core.models import OutgoingMail

    rows = DBTaskResult.objects.filter(task_path__endswith="deliver_email")
    ids = [row.args_kwargs["kwargs"]["mail_id"] for row in rows]
    messages = OutgoingMail.objects.in_bulk(ids)
    return Counter(messages[i].recipients[0] for i in ids)


@pytest.mark.django_db
def test_each_registrant_gets_one_mail_at_once_in_their_language(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1, title="Bokprat")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="Sara", email="sara@example.org", language="sv")
        registration_create(event=event, name="Ola", email="ola@example.org", language="en")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["sara@example.org"], "Du är anmäld: Bokprat"),
        (["ola@example.org"], "On the waiting list: Bokprat"),
    ]
    assert all(m.attachments[0][2] == "text/calendar" for m in mail.outbox)
    assert pending(event) == []


@pytest.mark.django_db
def test_colleagues_registered_in_one_transaction_each_get_one_mail_after_commit(
    world, django_capture_on_commit_callbacks
):
    """A library manager registering several colleagues: one task, one mail each."""
    event = make_event(world.agency, capacity=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        register(event, 3)
        assert mail.outbox == []  # nothing is sent before the registrations are committed
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{i}@example.org" for i in range(3)]
    assert pending(event) == []


@pytest.mark.django_db
def test_a_second_run_of_the_task_sends_nothing_again(world):
    event = make_event(world.agency, capacity=1)
    with override_settings(TASKS=NO_WORKER):
        register(event, 3)
    assert mail.outbox == [] and len(pending(event)) == 3
    assert notices_send(event_id=event.pk) == 3
    assert notices_send(event_id=event.pk) == 0
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == [
        "On the waiting list",
        "On the waiting list",
        "You are registered",
    ]
    assert pending(event) == []


@pytest.mark.django_db
def test_a_worker_killed_half_way_loses_and_duplicates_nothing(world):
    """The mails of a batch are queued in the transaction that marks them sent: killed before
    it commits, none of them is queued and all are pending for the next run."""
    event = make_event(world.agency, capacity=10)
    with override_settings(TASKS=NO_WORKER):
        register(event, 5)
    real = mails.registration_email
    calls = 0

    def killed_at_the_third(**kwargs: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise SystemExit("worker killed")
        return real(**kwargs)

    with override_settings(TASKS=DATABASE_QUEUE):
        with (
            mock.patch.object(mails, "registration_email", killed_at_the_third),
            pytest.raises(SystemExit),
        ):
            notices_send(event_id=event.pk)
        assert queued_deliveries() == Counter()
        assert len(pending(event)) == 5
        assert notices_send(event_id=event.pk) == 5
        assert queued_deliveries() == Counter({f"p{i}@example.org": 1 for i in range(5)})
    assert pending(event) == []


@pytest.mark.django_db
def test_the_periodic_run_sends_what_a_lost_task_left_pending(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1)
    with override_settings(TASKS=NO_WORKER):
        registration_create(event=event, name="A", email="a@example.org", language="en")
    event.refresh_from_db()
    assert event.notices_queued  # a task was queued, and will never run
    # The next registration finds the task queued, so it queues none: its notice waits too.
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="B", email="b@example.org", language="en")
    assert mail.outbox == [] and sorted(pending(event)) == ["a@example.org", "b@example.org"]

    call_command("periodic")
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("a@example.org", "You are registered"),
        ("b@example.org", "On the waiting list"),
    ]
    event.refresh_from_db()
    assert not event.notices_queued and pending(event) == []
    # From now on a registration queues its task again and is told at once.
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="C", email="c@example.org", language="en")
    assert mail.outbox[-1].to == ["c@example.org"]
    assert notices_send_pending() == 0


@pytest.mark.django_db
def test_a_confirmation_still_pending_is_sent_before_the_cancellation(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=5)
    with override_settings(TASKS=NO_WORKER):
        (registration,) = register(event, 1)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)
        notices_send(event_id=event.pk)
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "You are registered",
        "Your registration is cancelled",
    ]


# --- PostgreSQL: real parallel runs -------------------------------------------------------------

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
)


@pytest.fixture
def parallel_world(transactional_db):
    from bokbro.conftest import make_world

    return make_world()


def in_parallel(job: Any, workers: int) -> list[Any]:
    """Run `job` on `workers` threads with their own connections, released together."""
    results: list[Any] = [None] * workers
    barrier = threading.Barrier(workers)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = job(i)
        except Exception as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.postgres
@needs_postgresql
def test_runs_at_the_same_time_send_each_notice_exactly_once(parallel_world):
    event = make_event(parallel_world.agency, capacity=30)
    with override_settings(TASKS=NO_WORKER):
        register(event, 120)
    mail.outbox.clear()
    results = in_parallel(lambda _i: notices_send(event_id=event.pk), workers=6)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 120
    assert Counter(m.to[0] for m in mail.outbox) == {f"p{i}@example.org": 1 for i in range(120)}
    assert pending(event) == []


@pytest.mark.postgres
@needs_postgresql
def test_parallel_registrations_each_get_exactly_one_mail(parallel_world):
    """Each registering thread runs the sending task at once (the immediate task backend), so
    several runs race over the same event's outbox."""
    event = make_event(parallel_world.agency, capacity=40)
    mail.outbox.clear()

    def job(i: int) -> list[Registration]:
        return [
            registration_create(
                event=event, name=f"P{i}-{n}", email=f"p{i}-{n}@example.org", language="en"
            )
            for n in range(5)
        ]

    results = in_parallel(job, workers=20)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Counter(m.to[0] for m in mail.outbox) == {
        f"p{i}-{n}@example.org": 1 for i in range(20) for n in range(5)
    }
    subjects = Counter(m.subject.split(":")[0] for m in mail.outbox)
    assert subjects == {"You are registered": 40, "On the waiting list": 60}
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    assert confirmed.count() == 40
    assert pending(event) == []
