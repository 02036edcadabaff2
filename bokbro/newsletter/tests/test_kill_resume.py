"""The sending guarantee, end to end: kill real sending processes (SIGKILL), let others resume,
and count what the SMTP server received. Every recipient gets the message at least once; only
the messages in flight when a process died can arrive twice, and then with the same Message-ID.

The workers are separate processes (`bokbro worker`, `manage.py newsletter_send`) on an SQLite
file or a PostgreSQL database of their own; the SMTP server is a real aiosmtpd on 127.0.0.1 in
this process."""

from __future__ import annotations

import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from bokbro.core.tests.test_emails import Inbox, free_port

LEASE = 2  # NEWSLETTER_LEASE_SECONDS for the workers

SEED = """
from bokbro.directory.models import Agency, County
from bokbro.newsletter.models import MailingList, Subscriber, Issue
from bokbro.newsletter.services.issues import issue_schedule
from django.utils import timezone
county = County.objects.create(country="NO", code="31", name="Østfold")
agency = Agency.objects.create(slug="ostfold", name="Østfold", country="NO", is_default=True,
                               email="post@ostfold.example")
agency.counties.set([county])
newsletter = MailingList.objects.create(agency=agency, name="Nyhetsbrev")
Subscriber.objects.bulk_create(
    [Subscriber(agency=agency, mailing_list=newsletter, email=f"p{i}@example.org",
                status="confirmed", confirmed_at=timezone.now()) for i in range(%(n)d)]
)
issue = Issue.objects.create(agency=agency, mailing_list=newsletter, subject="Nummer 1",
                             body="## Hei\\n\\nNytt fra fylket.")
issue_schedule(actor=None, agency=agency, issue=issue, when=None)  # queues the sending tasks
"""
REPORT = """
import json
from django.db.models import Count
from bokbro.newsletter.models import Delivery, Issue
print(json.dumps({
    "statuses": dict(Delivery.objects.values_list("status").annotate(n=Count("pk")).order_by()),
    "issue": Issue.objects.get().status,
    "claimed": Delivery.objects.filter(claimed_at__isnull=False).count(),
}))
"""
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_url() -> str | None:
    """A fresh database beside the test run's PostgreSQL one (CI runs with DATABASE_URL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'bokbro'}_newsletter_kill"
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl()


class Install:
    """A database, an SMTP server and the environment of the install's processes."""

    def __init__(self, tmp_path: Path, database: str, connections: int) -> None:
        if database == "sqlite":
            url = f"sqlite:///{tmp_path / 'newsletter.sqlite3'}"
        else:
            found = postgres_url()
            if found is None:
                pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
            url = found
        self.tmp_path = tmp_path
        self.inbox = Inbox()
        port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "BOKBRO_DATA_DIR": str(tmp_path),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "NEWSLETTER_RATE_PER_MINUTE": "0",
            "NEWSLETTER_LEASE_SECONDS": str(LEASE),
            "NEWSLETTER_BATCH_SIZE": "50",
            "NEWSLETTER_CONNECTIONS": str(connections),
            "LOG_LEVEL": "ERROR",
        }
        self.env.pop("BOKBRO_TESTING", None)  # the database task queue, as in production
        self.env.pop("BOKBRO_TEST_KILL_AFTER_ACCEPTED", None)
        self.env.pop("BOKBRO_TEST_KILL_AFTER_MARKED", None)

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    def start(self, *args: str, **env: str) -> tuple[subprocess.Popen, Path]:
        log = self.tmp_path / f"process-{len(list(self.tmp_path.glob('process-*')))}.log"
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=settings.PROJECT_DIR,
            env={**self.env, **env},
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        return process, log

    def worker(self, **env: str) -> tuple[subprocess.Popen, Path]:
        """`bokbro worker`, running the queued tasks, then exiting."""
        return self.start(
            "-m", "bokbro.cli", "worker", "--batch", "--no-startup-delay", "--no-reload", **env
        )

    def report(self) -> dict:
        return json.loads(self.manage("shell", "-c", REPORT).stdout.strip().splitlines()[-1])

    def held_by(self, process: subprocess.Popen) -> int:
        """Rows the process still held (PostgreSQL; read at once, before another takes them)."""
        import psycopg

        prefix = f"{socket.gethostname()[:30]}-{process.pid}-"
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            row = conn.execute(
                "SELECT count(*) FROM newsletter_delivery"
                " WHERE status = 'pending' AND starts_with(claimed_by, %s)",
                [prefix],
            ).fetchone()
        assert row is not None
        return row[0]

    def received_per_recipient(self) -> collections.Counter:
        return collections.Counter(to for _from, tos, _message in self.inbox.messages for to in tos)

    def message_ids(self, recipient: str) -> list[str]:
        return [m["Message-ID"] for _f, tos, m in self.inbox.messages if tos == [recipient]]

    def wait_for_messages(self, count: int) -> None:
        deadline = time.monotonic() + 120
        while len(self.inbox.messages) < count and time.monotonic() < deadline:
            time.sleep(0.005)

    def wait_until(self, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 60
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.001)


@pytest.fixture
def install_for(tmp_path: Path):
    made: list[Install] = []

    def make(database: str, *, recipients: int, connections: int = 1) -> Install:
        install = Install(tmp_path, database, connections)
        install.controller.start()
        made.append(install)
        install.manage("migrate", "-v0")
        install.manage("shell", "-c", SEED % {"n": recipients})
        return install

    yield make
    for install in made:
        install.controller.stop()


def assert_killed(process: subprocess.Popen, log: Path) -> None:
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, log.read_text()[-3000:]


@pytest.mark.parametrize("database", DATABASES)
def test_a_worker_killed_after_the_servers_answer_and_before_the_mark_costs_one_duplicate(
    install_for, database
):
    """The weakest point: the server has accepted the 120th message, its row is not marked yet."""
    install = install_for(database, recipients=300)

    worker, log = install.worker(BOKBRO_TEST_KILL_AFTER_ACCEPTED="120")
    assert_killed(worker, log)

    assert len(install.inbox.messages) == 120
    in_flight = install.inbox.messages[-1][1][0]
    assert install.report()["statuses"] == {"sent": 119, "pending": 181}

    # The operator's periodic run (once the dead worker's lease has run out) queues the issue's
    # sending again, and a new worker sends what is not marked: the 120th message too.
    time.sleep(LEASE + 0.5)
    install.manage("periodic")
    worker, log = install.worker()
    worker.wait(timeout=120)
    assert worker.returncode == 0, log.read_text()[-3000:]

    per_recipient = install.received_per_recipient()
    assert len(per_recipient) == 300  # every recipient at least once
    assert {to: n for to, n in per_recipient.items() if n > 1} == {in_flight: 2}
    first, again = install.message_ids(in_flight)
    assert first == again
    assert install.report() == {"statuses": {"sent": 300}, "issue": "sent", "claimed": 0}


@pytest.mark.parametrize("database", DATABASES)
def test_a_worker_killed_right_after_a_mark_costs_nothing(install_for, database):
    """On PostgreSQL the marks are committed without waiting for the disk (`synchronous_commit
    = off`): the mark is committed in the server's memory when the worker goes on, so a worker
    killed right after it loses nothing and no recipient gets the message twice."""
    install = install_for(database, recipients=300)

    worker, log = install.worker(BOKBRO_TEST_KILL_AFTER_MARKED="120")
    assert_killed(worker, log)

    assert len(install.inbox.messages) == 120
    assert install.report()["statuses"] == {"sent": 120, "pending": 180}

    time.sleep(LEASE + 0.5)
    install.manage("periodic")
    worker, log = install.worker()
    worker.wait(timeout=120)
    assert worker.returncode == 0, log.read_text()[-3000:]

    per_recipient = install.received_per_recipient()
    assert len(per_recipient) == 300
    assert set(per_recipient.values()) == {1}
    assert install.report() == {"statuses": {"sent": 300}, "issue": "sent", "claimed": 0}


@pytest.mark.postgres
def test_a_killed_workers_rows_are_sent_by_another_worker_once_its_lease_runs_out(install_for):
    """Two `bokbro worker`s send one issue (two connections); one is killed in the middle. The
    other takes the dead one's rows over within seconds, in the same task run: the issue does
    not stay `sending` until an operator or a periodic run notices."""
    install = install_for("postgresql", recipients=1500, connections=2)

    first, first_log = install.worker()
    second, second_log = install.worker()
    install.wait_for_messages(500)
    # Kill it while it holds a batch (not in the moment between two batches): with two equally
    # fast workers, 500 messages is exactly five batches of 50 each.
    install.wait_until(lambda: install.held_by(first) >= 10)
    first.send_signal(signal.SIGKILL)
    assert_killed(first, first_log)
    orphaned = install.held_by(first)
    killed_at = len(install.inbox.messages)

    second.wait(timeout=120)  # it would wait for a lease that never runs out otherwise
    assert second.returncode == 0, second_log.read_text()[-3000:]

    assert 0 < killed_at < 1500, "the worker must die in the middle of the send"
    assert orphaned > 0, "the killed worker must have held rows"
    per_recipient = install.received_per_recipient()
    assert len(per_recipient) == 1500
    twice = {to: n for to, n in per_recipient.items() if n > 1}
    assert len(twice) <= 1, f"only the killed worker's message in flight may come twice: {twice}"
    for to in twice:
        assert len(set(install.message_ids(to))) == 1
    assert install.report() == {"statuses": {"sent": 1500}, "issue": "sent", "claimed": 0}


@pytest.mark.parametrize("database", DATABASES)
def test_a_sender_killed_at_random_and_started_again_finishes_the_issue(install_for, database):
    """`newsletter_send` killed a third of the way through; started again, the one run waits
    out the dead one's lease and sends the rest."""
    install = install_for(database, recipients=1500)

    sender, log = install.start("manage.py", "newsletter_send", "--once")
    install.wait_for_messages(500)
    os.kill(sender.pid, signal.SIGKILL)
    assert_killed(sender, log)
    killed_at = len(install.inbox.messages)

    install.manage("newsletter_send", "--once")

    assert 0 < killed_at < 1500, "the sender must die in the middle of the send"
    per_recipient = install.received_per_recipient()
    assert len(per_recipient) == 1500
    twice = {to: n for to, n in per_recipient.items() if n > 1}
    assert len(twice) <= 1, f"killed after {killed_at}: more than the one in flight twice: {twice}"
    for to in twice:
        assert len(set(install.message_ids(to))) == 1
    assert install.report() == {"statuses": {"sent": 1500}, "issue": "sent", "claimed": 0}
