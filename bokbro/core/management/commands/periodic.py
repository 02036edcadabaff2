"""Run every module's periodic work once. Schedule it every five minutes (cron or a systemd
timer); `bokbro serve` runs it for the demo. Every job is idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Run periodic work: reminders, expired offers, anonymisation …"

    def handle(self, *args: Any, **options: Any) -> None:
        for path in settings.BOKBRO_PERIODIC:
            results = import_string(path)()
            for label, count in results.items():
                self.stdout.write(f"{label}: {count}")
