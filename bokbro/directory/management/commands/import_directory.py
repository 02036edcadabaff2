"""`manage.py import_directory [--data-dir DIR]`: load the national directory (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokbro.directory.importer import DirectoryImportError, import_directory


class Command(BaseCommand):
    help = (
        "Load counties, municipalities, municipality changes and libraries from the open data "
        "files. All or nothing: a bad file changes nothing. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Directory with the data files (default: settings.BOKBRO_DIRECTORY_DATA).",
        )

    def handle(self, *args: Any, data_dir: Path | None, **options: Any) -> None:
        try:
            report = import_directory(data_dir)
        except DirectoryImportError as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
