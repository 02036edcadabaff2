"""`bokbro backup` and `bokbro restore`: the database and the uploaded files in one dated archive.

An archive (`bokbro-backup-2026-12-05T101500.tar.gz`) holds:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: the
  online backup API, a consistent copy while the site runs);
- `media/`: every uploaded file (`MEDIA_ROOT`);
- `manifest.json`: when, which database engine, the latest migration of each app, and the SHA-256
  of every other member.

A backup is written under a temporary name and renamed when complete, so a half-written archive
never carries the final name. A restore checks the whole archive against its manifest before it
changes anything, and goes only into an empty database and an empty media folder, so no rows or
files are ever mixed; then it runs the migrations, which bring an older backup up to the
installed version.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
POSTGRESQL = "postgresql"
SQLITE = "sqlite"


class BackupError(Exception):
    """What went wrong, in words for the operator; nothing has been changed."""


@dataclass(frozen=True)
class Restored:
    archive: Path
    created_at: str
    engine: str
    files: int


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {POSTGRESQL, SQLITE}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def libpq_environment() -> dict[str, str]:
    """pg_dump and pg_restore reach the database Django uses through libpq's variables."""
    db = connection.settings_dict
    env = {**os.environ}
    for variable, key in [
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def database_dump(directory: Path) -> Path:
    if engine() == POSTGRESQL:
        target = directory / "database.dump"
        # PostgreSQL's own client, found on PATH like psql; the arguments are ours.
        result = subprocess.run(  # noqa: S603
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],  # noqa: S607
            env=libpq_environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    target = directory / "database.sqlite3"
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    return target


def latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_create(directory: Path, *, now: datetime | None = None) -> Path:
    """Write a dated archive of the database and the media files into `directory`."""
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"bokbro-backup-{now:%Y-%m-%dT%H%M%S}.tar.gz"
    partial = archive.with_name(archive.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        dump = database_dump(Path(scratch))
        files = media_files()
        members = {dump.name: sha256(dump)}
        members.update(
            {f"media/{path.relative_to(media_root).as_posix()}": sha256(path) for path in files}
        )
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": engine(),
            "migrations": latest_migrations(),
            "members": members,
        }
        try:
            with tarfile.open(partial, "w:gz") as tar:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(dump, arcname=dump.name)
                for path in files:
                    tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive


def manifest_read(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        raise BackupError("This is not a Bokbro backup: it has no manifest.json.") from None
    if member is None:
        raise BackupError("This is not a Bokbro backup: manifest.json is not a file.")
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def archive_unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack and check every member against the manifest; raise before anything is restored."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = manifest_read(tar)
            tar.extractall(into, filter="data")  # refuses absolute paths, "..", links out
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as error:
        raise BackupError(f"The archive cannot be read: {error}") from error
    found = {
        path.relative_to(into).as_posix()
        for path in into.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }
    expected = set(manifest["members"])
    if found != expected:
        raise BackupError(
            "The archive does not match its manifest: "
            f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}."
        )
    for name, digest in manifest["members"].items():
        if sha256(into / name) != digest:
            raise BackupError(f"The archive is damaged: {name} does not match its checksum.")
    return manifest


def target_check(manifest: dict[str, Any]) -> None:
    if manifest["engine"] != engine():
        raise BackupError(
            f"This backup is of a {manifest['engine']} database and this install uses "
            f"{engine()}: restore it into the same kind of database."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database already has {len(tables)} tables. Restore only into an empty database "
            "(create a new one, or drop and create this one), so that no rows are mixed."
        )
    if media_files():
        raise BackupError(
            f"The media folder {settings.MEDIA_ROOT} already holds files. Restore only into an "
            "empty media folder."
        )


def database_load(dump: Path) -> None:
    if engine() == POSTGRESQL:
        command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
        command += ["--dbname", str(connection.settings_dict["NAME"]), str(dump)]
        result = subprocess.run(  # noqa: S603
            command,
            env=libpq_environment(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_restore failed (nothing was restored): {result.stderr.strip()}")
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)
    source.close()


def backup_restore(archive: Path) -> Restored:
    """Restore an archive into this install's empty database and empty media folder."""
    if not archive.is_file():
        raise BackupError(f"No such file: {archive}")
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = Path(scratch)
        manifest = archive_unpack(archive, unpacked)
        target_check(manifest)
        dump = unpacked / (
            "database.dump" if manifest["engine"] == POSTGRESQL else "database.sqlite3"
        )
        database_load(dump)
        media = unpacked / "media"
        count = 0
        if media.is_dir():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
            count = sum(1 for path in media.rglob("*") if path.is_file())
    call_command("migrate", interactive=False, verbosity=0)
    return Restored(
        archive=archive, created_at=manifest["created_at"], engine=manifest["engine"], files=count
    )
