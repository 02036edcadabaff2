"""The national directory import: counties, municipalities, SSB's change table and libraries.

It reads the open data in `bokbro/directory/data/` (its README says where each file comes from)
in two steps. First every file is read and checked into plain rows; the first problem raises one
`DirectoryImportError` that names the file, the line and the field, and nothing is written. Then
everything is written in one transaction, as upserts on the natural keys (country and code,
sigel, …), so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction

from bokbro.core.audit import audit_log
from bokbro.directory.importer.files import DirectoryImportError
from bokbro.directory.importer.rows import Rows, read_directory
from bokbro.directory.importer.writing import Counts, Report, write_directory

__all__ = [
    "Counts",
    "DirectoryImportError",
    "Report",
    "Rows",
    "import_directory",
    "read_directory",
    "write_directory",
]


def import_directory(data_dir: Path | None = None) -> Report:
    """Read every directory file, then write them all in one transaction (or nothing)."""
    rows = read_directory(Path(data_dir or settings.BOKBRO_DIRECTORY_DATA))
    with transaction.atomic():
        report = write_directory(rows)
        if report.changed:
            audit_log(
                action="directory.import.completed",
                data={name: asdict(getattr(report, name)) for name in Report.LABELS},
            )
    return report
