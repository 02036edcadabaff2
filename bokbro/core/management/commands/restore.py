"""`bokbro restore ARCHIVE`: an archive from `bokbro backup` into an empty database and media
folder (core/backup.py). The archive is checked whole before anything changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bokbro.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty media folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="An archive written by `bokbro backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup_restore(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the {restored.engine} backup of {restored.created_at} "
            f"with {restored.files} files; migrations are up to date."
        )
