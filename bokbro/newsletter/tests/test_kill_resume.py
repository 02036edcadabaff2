"""Kill the sending worker (SIGKILL) in the middle of a send, start it again, and count what
the SMTP server received: every recipient exactly one message.

The worker is a separate process (`manage.py newsletter_send`) on an SQLite file database, the
SMTP server a real aiosmtpd on 127.0.0.1 in this process."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from bokbro.core.tests.test_emails import Inbox, free_port

RECIPIENTS = 1500
CLAIM_TIMEOUT = 3
CONNECTIONS = 4  # sending threads on PostgreSQL (SQLite: one), each with its own batch

SEED = """
from bokbro.directory.models import Agency, County
from bokbro.newsletter.models import MailingList, Subscriber, Issue
from bokbro.newsletter.services import issue_start
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
issue_start(issue=issue)
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


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


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


@pytest.mark.parametrize(
    "database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def test_a_killed_worker_resumed_sends_every_recipient_exactly_one_message(
    tmp_path: Path, database: str
):
    if database == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'newsletter.sqlite3'}"
    else:
        database_url = postgres_url()
        if database_url is None:
            pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BOKBRO_DATA_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "NEWSLETTER_RATE_PER_MINUTE": "0",
        "NEWSLETTER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
        "NEWSLETTER_BATCH_SIZE": "50",
        "NEWSLETTER_CONNECTIONS": str(CONNECTIONS),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("BOKBRO_TESTING", None)
    try:
        manage(env, "migrate", "-v0")
        manage(env, "shell", "-c", SEED % {"n": RECIPIENTS})

        log = tmp_path / "worker.log"
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "newsletter_send", "--once"],
            cwd=settings.PROJECT_DIR,
            env=env,
            stderr=log.open("w"),
        )
        deadline = time.monotonic() + 120
        while len(inbox.messages) < RECIPIENTS // 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        killed_at = len(inbox.messages)
        assert worker.returncode == -signal.SIGKILL, log.read_text()[-3000:]
        assert 0 < killed_at < RECIPIENTS, "the worker must die in the middle of the send"

        # Started again: it sends the rows nobody claimed; the dead worker's batch waits until
        # its claim is older than the timeout, then the next run takes it over.
        manage(env, "newsletter_send", "--once")
        report = last_json(manage(env, "shell", "-c", REPORT).stdout)
        if report["issue"] != "sent":
            assert 0 < report["claimed"] <= 50 * CONNECTIONS
            time.sleep(CLAIM_TIMEOUT + 0.5)
            manage(env, "newsletter_send", "--once")
            report = last_json(manage(env, "shell", "-c", REPORT).stdout)
    finally:
        controller.stop()

    per_recipient = collections.Counter(to for _from, tos, _message in inbox.messages for to in tos)
    assert len(per_recipient) == RECIPIENTS
    twice = {to: n for to, n in per_recipient.items() if n != 1}
    assert twice == {}, f"killed after {killed_at} messages; sent more than once: {twice}"
    assert report == {"statuses": {"sent": RECIPIENTS}, "issue": "sent", "claimed": 0}
