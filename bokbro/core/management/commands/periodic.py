"""Run every module's periodic work once. Schedule it every five minutes (cron or a systemd
timer); `bokbro serve` runs it for the demo. Every job is idempotent.

One failure stops nothing else (bokbro/core/periodic.py): a module's job that raises is logged
and the next module's job runs; the command then exits non-zero and names what failed."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bokbro.core import housekeeping
from bokbro.core.modules import resolved
from bokbro.core.periodic import collecting, failure

logger = logging.getLogger("bokbro.periodic")


class Command(BaseCommand):
    help = "Run periodic work: reminders, expired offers, anonymisation …"

    def handle(self, *args: Any, **options: Any) -> None:
        with collecting() as failures:
            # Each module's `periodic` (its contract), in INSTALLED_APPS order, then the
            # install's own housekeeping (the task queue's leftovers).
            jobs = [(module.label, run) for module, run in resolved("periodic")]
            for label, run in [*jobs, ("core", housekeeping.run)]:
                try:
                    results = run()
                except Exception as error:
                    logger.exception("The periodic work of %s stopped", label)
                    failure(f"{label}: stopped ({type(error).__name__}: {error})")
                    continue
                for label, count in results.items():
                    self.stdout.write(f"{label}: {count}")
        if failures:
            raise CommandError(
                f"{len(failures)} part(s) of the periodic work failed (see the log above):\n  "
                + "\n  ".join(failures)
            )
