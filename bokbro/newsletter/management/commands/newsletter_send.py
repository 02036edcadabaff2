"""`manage.py newsletter_send`: a dedicated newsletter sending loop.

Loops: starts scheduled issues that are due, claims waiting deliveries in batches and sends
them, sleeps when there is nothing to do. Run one or more (on any machines sharing the
database), beside or instead of the task workers; kill one at any moment and the others, or
its restart, send its rows once its lease has run out (NEWSLETTER_LEASE_SECONDS). `--once`
sends what is due and exits."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand

from bokbro.newsletter import sending


class Command(BaseCommand):
    help = "Send newsletter issues: claim waiting deliveries and send them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due, then exit.")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--rate",
            type=int,
            default=None,
            help="Messages per minute for this loop (default: its share of the rate).",
        )
        parser.add_argument("--sleep", type=float, default=10.0, help="Idle seconds.")
        parser.add_argument("--worker", default="", help="A name for this worker's claims.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = options["worker"] or sending.worker_name()
        while True:
            counts = sending.send_pending(
                worker=worker,
                batch_size=options["batch_size"],
                rate_per_minute=options["rate"],
            )
            if counts.sent or counts.failed or counts.retried or options["once"]:
                self.stdout.write(json.dumps(counts.as_dict()))
            if options["once"]:
                return
            if not counts.sent:
                time.sleep(options["sleep"])
