"""`manage.py import_mobile_library FILE.csv --agency SLUG` (also `bokbro import-mobile-library`):
a mobile library timetable in the Libraries Hacked CSV schema. A bad file changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from bokbro.directory.models import Agency
from bokbro.mobile.importer import ImportFailed, import_text


class Command(BaseCommand):
    help = "Import a mobile library timetable (Libraries Hacked CSV schema) for an agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The agency's short name (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        # The operator's command speaks English, as its help does.
        with translation.override("en"):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the short name {options['agency']!r}.")
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            result = import_text(actor=None, agency=agency, text=text)
        except ImportFailed as failed:
            raise CommandError(
                f"{path}: nothing imported.\n" + "\n".join(str(p) for p in failed.problems)
            ) from failed
        # Labels and numbers, so that one row or one visit reads right too.
        made = ", ".join(f"{what}: {n}" for what, n in result.created.items()) or "nothing new"
        self.stdout.write(f"{path}: rows read: {result.rows}; {made}.")
        for warning in result.warnings:
            self.stdout.write(f"Warning: {warning}")
