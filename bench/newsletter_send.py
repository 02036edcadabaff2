"""A newsletter to 20,000 recipients through a local SMTP sink, against a bare smtplib loop.

Starts an aiosmtpd sink on 127.0.0.1 in its own process (it counts messages and discards them),
makes a subscriber list and an issue, and times the real thing: `--workers` task workers
(`bokbro worker`, started beforehand and idle, polling the queue every second as in production)
run the issue's `NEWSLETTER_CONNECTIONS` sending tasks, each claiming batches and marking every
row sent (a durable commit) once the server accepted its message; no throttle. The time runs
from queuing the tasks to the issue being `sent`. In the same run it times a bare smtplib loop
sending the same messages (built the same way beforehand, so the loop does nothing but SMTP)
over one connection. Prints JSON: messages/s of each, the ratio (target ≥ 0.70) and the sink's
count (every recipient at least once).

    .venv/bin/python bench/newsletter_send.py [--recipients 20000] [--connections 4] [--workers 4]

Uses PostgreSQL by default: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bokbro_bench) names a database it may empty; it is created if
missing. BENCH_DATABASE_URL=sqlite:////tmp/newsletter_bench.sqlite3 measures the embedded
SQLite install instead (the file is replaced; one worker, one connection).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import smtplib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, free_port, setup_django


def sink(port: int, count: multiprocessing.Value, ready: multiprocessing.Event) -> None:
    """An SMTP server that accepts everything and counts it, per recipient."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope) -> str:
            with count.get_lock():
                count.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.sleep(10**6))
    finally:
        controller.stop()


def harness_setup_sqlite(url: str) -> None:
    os.environ.update(
        {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bokbro.settings", "LOG_LEVEL": "ERROR"}
    )
    os.environ.pop("BOKBRO_TESTING", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def setup(args: argparse.Namespace, port: int) -> dict[str, str]:
    """This process pointed at the bench database, migrated and empty; the workers' env."""
    os.environ.update(
        {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "NEWSLETTER_RATE_PER_MINUTE": "0",
            "NEWSLETTER_BATCH_SIZE": str(args.batch_size),
        }
    )
    if args.connections:
        os.environ["NEWSLETTER_CONNECTIONS"] = str(args.connections)
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("sqlite:"):
        # SQLite: the embedded default install (a fresh file each run).
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        harness_setup_sqlite(url)
        return dict(os.environ)
    return setup_django()


def make_issue(recipients: int):
    from django.utils import timezone
    from harness import make_agency

    from bokbro.newsletter.models import Issue, MailingList, Subscriber

    agency, _municipality = make_agency()
    agency.email = "post@bench.example"
    agency.save()
    newsletter = MailingList.objects.create(agency=agency, name="Nyhetsbrev")
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                agency=agency,
                mailing_list=newsletter,
                email=f"p{i}@example.org",
                name=f"Person {i}",
                status="confirmed",
                confirmed_at=timezone.now(),
            )
            for i in range(recipients)
        ],
        batch_size=2000,
    )
    body = "\n\n".join(
        f"## Seksjon {n}\n\nNytt fra fylket: kurs, prosjekter og [lenke](https://example.org/{n})."
        for n in range(6)
    )
    return Issue.objects.create(
        agency=agency, mailing_list=newsletter, subject="Nyhetsbrev nr. 1", body=body
    )


def bare_loop(issue, port: int) -> tuple[int, float]:
    """The same messages, built beforehand, over one connection: (sent, seconds)."""
    from django.conf import settings

    from bokbro.newsletter.models import Delivery
    from bokbro.newsletter.rendering import IssueRenderer

    renderer = IssueRenderer(issue)
    prepared = [
        (
            d.email,
            renderer.message_for(email=d.email, name=d.name, language=d.language, delivery_id=d.pk)
            .message()
            .as_bytes(linesep="\r\n"),
        )
        for d in Delivery.objects.filter(issue=issue).order_by("pk")
    ]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, raw in prepared:
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [to], raw)
    return len(prepared), time.perf_counter() - started


def start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen]:
    """`bokbro worker`s, given time to start and poll the (empty) queue."""
    command = [sys.executable, "-m", "bokbro.cli", "worker", "--no-reload"]
    workers = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(count)
    ]
    time.sleep(8)
    return workers


def workers_send(issue) -> float:
    """Queue the issue's sending tasks; seconds until the issue is `sent`."""
    from django.db import transaction
    from django.utils import timezone

    from bokbro.newsletter.tasks import issue_send_enqueue

    queued_at = timezone.now()
    with transaction.atomic():
        issue_send_enqueue(issue_id=issue.pk)
    while True:
        time.sleep(0.05)
        issue.refresh_from_db()
        if issue.finished_at is not None:
            return (issue.finished_at - queued_at).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--connections", type=int, default=None, help="default: NEWSLETTER_CONNECTIONS"
    )
    parser.add_argument("--workers", type=int, default=None, help="default: as many as tasks")
    args = parser.parse_args()

    port = free_port()
    count = multiprocessing.Value("q", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=sink, args=(port, count, ready), daemon=True)
    server.start()
    ready.wait(10)
    env = setup(args, port)

    from django.conf import settings

    from bokbro.newsletter.models import DeliveryStatus
    from bokbro.newsletter.sending import senders_per_issue
    from bokbro.newsletter.services.recipients import issue_start

    issue = make_issue(args.recipients)
    started = time.perf_counter()
    issue_start(issue=issue)
    start_seconds = time.perf_counter() - started
    bare_count, bare_seconds = bare_loop(issue, port)
    count.value = 0

    senders = senders_per_issue()
    workers = start_workers(env, args.workers or senders)
    try:
        worker_seconds = workers_send(issue)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    time.sleep(0.2)
    sent = issue.deliveries.filter(status=DeliveryStatus.SENT).count()
    worker_rate = sent / worker_seconds
    bare_rate = bare_count / bare_seconds
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "batch_size": args.batch_size,
                "connections": senders,
                "workers": len(workers),
                "fix_recipients_seconds": round(start_seconds, 2),
                "worker": {
                    "sent": sent,
                    "seconds": round(worker_seconds, 2),
                    "per_second": round(worker_rate, 1),
                    "sink_received": count.value,
                    "issue_status": issue.status,
                },
                "bare_smtplib": {
                    "sent": bare_count,
                    "seconds": round(bare_seconds, 2),
                    "per_second": round(bare_rate, 1),
                },
                "ratio": round(worker_rate / bare_rate, 2),
                "target_ratio": 0.7,
            },
            indent=2,
        )
    )
    server.terminate()


if __name__ == "__main__":
    main()
