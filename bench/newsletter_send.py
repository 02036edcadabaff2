"""A newsletter to 20,000 recipients through a local SMTP sink, against a bare smtplib loop.

Starts an aiosmtpd sink on 127.0.0.1 in its own process (it counts messages and discards them),
makes a subscriber list and an issue, and times the real worker (`sending.send_pending`: claims
in batches, `NEWSLETTER_CONNECTIONS` SMTP connections at once on PostgreSQL, each row's mark
committed durably before its message's last line, no throttle). In the same run it times a bare
smtplib loop sending the same messages (built the same way beforehand, so the loop does nothing
but SMTP) over one connection. Prints JSON: messages/s of each, the ratio
(target ≥ 0.70) and the sink's count (exactly one message per recipient).

    .venv/bin/python bench/newsletter_send.py [--recipients 20000] [--batch-size 50]

Uses PostgreSQL by default: BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bokbro_bench) names a database it may empty; it is created if
missing. BENCH_DATABASE_URL=sqlite:////tmp/newsletter_bench.sqlite3 measures the embedded
SQLite install instead (the file is replaced).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import free_port, setup_django


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=20000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--connections", type=int, default=None, help="default: NEWSLETTER_CONNECTIONS"
    )
    args = parser.parse_args()

    port = free_port()
    count = multiprocessing.Value("q", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=sink, args=(port, count, ready), daemon=True)
    server.start()
    ready.wait(10)

    os.environ.update(
        {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "NEWSLETTER_RATE_PER_MINUTE": "0",
        }
    )
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("sqlite:"):
        # SQLite: the embedded default install (a fresh file each run).
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        harness_setup_sqlite(url)
    else:
        setup_django()
    from django.conf import settings
    from django.utils import timezone
    from harness import make_agency

    from bokbro.newsletter import sending
    from bokbro.newsletter.models import Delivery, Issue, MailingList, Subscriber
    from bokbro.newsletter.rendering import IssueRenderer
    from bokbro.newsletter.services import issue_start

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
            for i in range(args.recipients)
        ],
        batch_size=2000,
    )
    body = "\n\n".join(
        f"## Seksjon {n}\n\nNytt fra fylket: kurs, prosjekter og [lenke](https://example.org/{n})."
        for n in range(6)
    )
    issue = Issue.objects.create(
        agency=agency, mailing_list=newsletter, subject="Nyhetsbrev nr. 1", body=body
    )
    started = time.perf_counter()
    issue_start(issue=issue)
    start_seconds = time.perf_counter() - started

    # The bare loop: the same messages, built beforehand, over one connection.
    renderer = IssueRenderer(issue)
    deliveries = list(Delivery.objects.filter(issue=issue).order_by("pk"))
    prepared = [
        (
            d.email,
            renderer.message_for(email=d.email, name=d.name, language=d.language, delivery_id=d.pk)
            .message()
            .as_bytes(linesep="\r\n"),
        )
        for d in deliveries
    ]
    sender = settings.DEFAULT_FROM_EMAIL
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, raw in prepared:
            smtp.sendmail(sender, [to], raw)
    bare_seconds = time.perf_counter() - started
    bare_count = count.value

    count.value = 0
    started = time.perf_counter()
    connections = args.connections or settings.NEWSLETTER_CONNECTIONS
    counts = sending.send_pending(
        batch_size=args.batch_size, rate_per_minute=0, connections=connections
    )
    worker_seconds = time.perf_counter() - started
    time.sleep(0.2)
    issue.refresh_from_db()
    worker_rate = counts.sent / worker_seconds
    bare_rate = len(prepared) / bare_seconds
    print(
        json.dumps(
            {
                "recipients": args.recipients,
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "batch_size": args.batch_size,
                "connections": connections,
                "fix_recipients_seconds": round(start_seconds, 2),
                "worker": {
                    "sent": counts.sent,
                    "failed": counts.failed,
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
