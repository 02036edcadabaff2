"""The class sets' outbox: the mail with the link that confirms a booking is kept on the booking
row and sent by one task per title, each exactly once — also when that task runs twice, at the
same time as another, or is killed half-way; and the booking is on disk before anyone is told
of it (classsets/notices.py, docs/concurrency.md)."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings

from bokbro.classsets import notices, services
from bokbro.classsets.models import Booking, BookingStatus, Title
from bokbro.classsets.tests.conftest import make_school, make_title, request_for
from bokbro.events.tests.test_concurrency import run_parallel

QUEUES = ["default", "email"]
# Tasks are queued and never run: what a lost task, or a worker that is down, leaves behind.
NO_WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": QUEUES}}
# The production queue: a task is a row, committed (or rolled back) with the caller's writes.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}


def hold(world: Any, title: Title, n: int, copies: int = 1) -> list[Booking]:
    """`n` bookings of `copies` each, by `n` teachers."""
    return [
        services.booking_create(
            agency=world.agency,
            request=request_for(world, title, copies=copies, contact_email=f"t{i}@skole.example"),
        )
        for i in range(n)
    ]


def pending(title: Title) -> list[str]:
    return sorted(title.bookings.exclude(notice="").values_list("contact_email", flat=True))


def queued_deliveries() -> Counter[str]:
    from django_tasks_db.models import DBTaskResult

    from bokbro.core.models import OutgoingMail

    rows = DBTaskResult.objects.filter(task_path__endswith="deliver_email")
    ids = [row.args_kwargs["kwargs"]["mail_id"] for row in rows]
    messages = OutgoingMail.objects.in_bulk(ids)
    return Counter(messages[i].recipients[0] for i in ids)


def test_the_teacher_gets_the_link_once_after_commit(cs: Any, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (booking,) = hold(cs, cs.title, 1)
    assert [m.to for m in mail.outbox] == [["t0@skole.example"]]
    assert booking.get_absolute_url() in mail.outbox[0].body
    assert mail.outbox[0].attachments == []  # no calendar entry before it is confirmed
    assert pending(cs.title) == []
    cs.title.refresh_from_db()
    assert not cs.title.notices_queued


def test_bookings_made_together_queue_one_task_and_get_one_mail_each(
    cs: Any, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        hold(cs, cs.title, 4)
        assert mail.outbox == []  # nothing is sent before the bookings are committed
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [f"t{i}@skole.example" for i in range(4)]
    assert pending(cs.title) == []


def test_a_refused_booking_leaves_nothing_in_the_outbox(
    cs: Any, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=NO_WORKER):
        hold(cs, cs.title, 1, copies=30)
    cs.title.refresh_from_db()
    assert cs.title.notices_queued
    Title.objects.filter(pk=cs.title.pk).update(notices_queued=False)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.NotEnoughCopies),
    ):
        services.booking_create(
            agency=cs.agency,
            request=request_for(cs, cs.title, copies=1, contact_email="late@skole.example"),
        )
    assert callbacks == []
    cs.title.refresh_from_db()
    assert not cs.title.notices_queued
    assert pending(cs.title) == ["t0@skole.example"]


def test_a_second_run_of_the_task_sends_nothing_again(cs: Any):
    with override_settings(TASKS=NO_WORKER):
        hold(cs, cs.title, 3)
    assert mail.outbox == [] and len(pending(cs.title)) == 3
    assert notices.send(cs.title.pk) == 3
    assert notices.send(cs.title.pk) == 0
    assert len(mail.outbox) == 3
    assert pending(cs.title) == []


def test_a_worker_killed_half_way_loses_and_duplicates_nothing(cs: Any):
    """The mails of a batch are queued in the transaction that empties the outbox: killed before
    it commits, none of them is queued and all are pending for the next run."""
    with override_settings(TASKS=NO_WORKER):
        hold(cs, cs.title, 5)
    real = notices._send_one
    calls = 0

    def killed_at_the_third(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise SystemExit("worker killed")
        real(*args)

    with override_settings(TASKS=DATABASE_QUEUE):
        with (
            mock.patch.object(notices, "_send_one", killed_at_the_third),
            pytest.raises(SystemExit),
        ):
            notices.send(cs.title.pk)
        assert queued_deliveries() == Counter()
        assert len(pending(cs.title)) == 5
        assert notices.send(cs.title.pk) == 5
        assert queued_deliveries() == Counter({f"t{i}@skole.example": 1 for i in range(5)})
    assert pending(cs.title) == []


def test_the_periodic_run_sends_what_a_lost_task_left_pending(
    cs: Any, django_capture_on_commit_callbacks
):
    with override_settings(TASKS=NO_WORKER):
        hold(cs, cs.title, 1)
    cs.title.refresh_from_db()
    assert cs.title.notices_queued  # a task was queued, and will never run
    # The next booking finds the task queued, so it queues none: its mail waits too.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            agency=cs.agency,
            request=request_for(cs, cs.title, copies=1, contact_email="b@skole.example"),
        )
    assert mail.outbox == [] and pending(cs.title) == ["b@skole.example", "t0@skole.example"]

    call_command("periodic")
    assert sorted(m.to[0] for m in mail.outbox) == ["b@skole.example", "t0@skole.example"]
    cs.title.refresh_from_db()
    assert not cs.title.notices_queued and pending(cs.title) == []
    # From now on a booking queues its task again and the teacher is told at once.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(
            agency=cs.agency,
            request=request_for(cs, cs.title, copies=1, contact_email="c@skole.example"),
        )
    assert mail.outbox[-1].to == ["c@skole.example"]
    assert notices.send_pending() == 0


def test_confirmed_before_the_link_went_out_the_mails_come_in_order(
    cs: Any, django_capture_on_commit_callbacks
):
    """The API answers with the booking's id and status before its mail is sent; a booking
    confirmed in that second gets the mail with its link first, then the confirmation, each
    once."""
    with override_settings(TASKS=NO_WORKER):
        (booking,) = hold(cs, cs.title, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking)
        notices.send(cs.title.pk)
    subjects = [m.subject for m in mail.outbox]
    assert len(subjects) == 2
    assert subjects[0].startswith("Bekreft bestillingen av klassesett")
    assert subjects[1].startswith("Bestillingen av klassesett er bekreftet")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.notice == ""


# --- PostgreSQL: real parallel runs, and the disk -----------------------------------------------

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
)


@pytest.fixture
def parallel_cs(transactional_db):
    from bokbro.conftest import make_world

    world = make_world()
    world.school = make_school(world)
    world.title = make_title(world)
    return world


@pytest.mark.postgres
@needs_postgresql
def test_runs_at_the_same_time_send_each_mail_exactly_once(parallel_cs: Any):
    with override_settings(TASKS=NO_WORKER):
        hold(parallel_cs, parallel_cs.title, 30)
    mail.outbox.clear()
    sends = [partial(notices.send, parallel_cs.title.pk) for _run in range(6)]
    results = run_parallel(sends, workers=6)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 30
    assert Counter(m.to[0] for m in mail.outbox) == {f"t{i}@skole.example": 1 for i in range(30)}
    assert pending(parallel_cs.title) == []


@pytest.mark.postgres
@needs_postgresql
def test_parallel_bookings_each_get_exactly_one_mail(parallel_cs: Any):
    """Each booking thread runs the sending task at once (the immediate task backend), so
    several runs race over the title's outbox, and with the bookings being made."""
    mail.outbox.clear()

    def job(i: int) -> int:
        made = 0
        for n in range(3):
            try:
                services.booking_create(
                    agency=parallel_cs.agency,
                    request=request_for(
                        parallel_cs,
                        parallel_cs.title,
                        copies=1,
                        contact_email=f"t{i}-{n}@skole.example",
                    ),
                )
                made += 1
            except services.NotEnoughCopies:
                pass
        return made

    results = run_parallel([partial(job, i) for i in range(12)], workers=12)
    assert not [r for r in results if isinstance(r, Exception)], results
    booked = set(parallel_cs.title.bookings.values_list("contact_email", flat=True))
    assert len(booked) == sum(results) == 30
    assert Counter(m.to[0] for m in mail.outbox) == {email: 1 for email in booked}
    assert pending(parallel_cs.title) == []


@pytest.mark.postgres
@needs_postgresql
def test_a_booking_is_on_disk_before_it_is_answered(parallel_cs: Any):
    """The batch commits without waiting for the disk (the title's lock is not held for the
    flush); the booking is flushed before the service returns, so the API's 201 (or the form's
    page) never tells of a booking a crash could still lose. The write-ahead log's position
    just after the batch is noted (at or past the batch's commit); when the service returns,
    the log must be flushed at least that far. Left alone, the WAL writer would flush it only
    within `wal_writer_delay` (200 ms)."""
    from bokbro.core import prepared

    real = prepared.run
    after_batch: list[str] = []

    def noting(cursor: Any, *args: Any, **kwargs: Any) -> Any:
        answers = real(cursor, *args, **kwargs)
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        after_batch.append(cursor.fetchone()[0])
        return answers

    for i in range(5):
        with override_settings(TASKS=NO_WORKER), mock.patch.object(prepared, "run", noting):
            services.booking_create(
                agency=parallel_cs.agency,
                request=request_for(
                    parallel_cs, parallel_cs.title, copies=1, contact_email=f"d{i}@skole.example"
                ),
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_current_wal_flush_lsn() >= %s::pg_lsn, pg_current_wal_flush_lsn()",
                [after_batch[-1]],
            )
            flushed, flush_lsn = cursor.fetchone()
        assert flushed, (i, flush_lsn, after_batch[-1])
