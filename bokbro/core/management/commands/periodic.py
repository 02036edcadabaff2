"""Run every module's periodic work once. Schedule it every five minutes (cron or a systemd
timer); `bokbro serve` runs it for the demo. Every job is idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bokbro.core.modules import resolved


class Command(BaseCommand):
    help = "Run periodic work: reminders, expired offers, anonymisation …"

    def handle(self, *args: Any, **options: Any) -> None:
        # Each module's `periodic` (its contract), in INSTALLED_APPS order.
        for _module, run in resolved("periodic"):
            results = run()
            for label, count in results.items():
                self.stdout.write(f"{label}: {count}")
