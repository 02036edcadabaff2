"""`manage.py import_class_sets FILE --agency SLUG`: the class-set catalogue from a CSV or XLSX
file in the export's format (docs/classsets.md). A bad file changes nothing; `--export` writes
the agency's catalogue to FILE instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from bokbro.classsets import catalogue_file
from bokbro.directory.models import Agency


class Command(BaseCommand):
    help = "Import an agency's class-set catalogue from CSV or XLSX (or --export it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The agency's short name (slug).")
        parser.add_argument(
            "--export", action="store_true", help="Write the catalogue to FILE (.csv or .xlsx)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The operator's command speaks English, as its help does.
        with translation.override("en"):
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with the short name {options['agency']!r}.")
            if options["export"]:
                self._export(agency, options["file"])
            else:
                self._import(agency, options["file"])

    def _export(self, agency: Agency, path: Path) -> None:
        kind = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
        path.write_bytes(catalogue_file.export_response(agency, kind).content)
        self.stdout.write(f"{path}: the catalogue of {agency.slug} written.")

    def _import(self, agency: Agency, path: Path) -> None:
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            result = catalogue_file.import_file(
                actor=None, agency=agency, name=path.name, content=content
            )
        except catalogue_file.ImportFailed as failed:
            raise CommandError(
                f"{path}: nothing imported.\n" + "\n".join(str(p) for p in failed.problems)
            ) from failed
        # Labels and numbers, so that one row or one title reads right too.
        made = ", ".join(f"{what}: {n}" for what, n in result.created.items()) or "nothing changed"
        self.stdout.write(f"{path}: rows read: {result.rows}; {made}.")
