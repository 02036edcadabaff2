"""`bokbro backup`: the database and the uploaded files in one dated archive (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokbro.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write the database and the uploaded files into one dated archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            default=str(Path(settings.DATA_DIR) / "backups"),
            help="Folder for the archive (default: DATA_DIR/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = backup_create(Path(options["to"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
