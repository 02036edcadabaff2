"""`bokbro backup` and `bokbro restore`, as an operator runs them: a filled install is backed up,
restored into an empty database and media folder of a second install, and every row and every
file is compared. Each install is a set of real `manage.py` processes with its own database
(an SQLite file, or a PostgreSQL database beside the test run's)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

# Files of three modules next to the demo's rows: an event's material, a project's document and
# a file in a sub-folder of its own.
FILES = """
from django.core.files.base import ContentFile
from bokbro.events.models import Event, Material
from bokbro.projects.models import Document, Project
event = Event.objects.order_by("pk").first()
Material.objects.create(event=event, title="Slides", kind="file",
                        file=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"))
project = Project.objects.order_by("pk").first()
Document.objects.create(project=project, title="Rapport",
                        file=ContentFile(b"%PDF-1.4 rapport", name="rapport.pdf"))
"""


def database_url(tmp_path: Path, database: str, name: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp_path / name}.sqlite3"
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")
    import psycopg

    parsed = urlparse(url)
    full = f"{parsed.path.lstrip('/') or 'bokbro'}_backup_{name}"
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{full}"')
        conn.execute(f'CREATE DATABASE "{full}"')
    return parsed._replace(path=f"/{full}").geturl()


class Install:
    def __init__(self, tmp_path: Path, database: str, name: str) -> None:
        self.data = tmp_path / name
        self.data.mkdir()
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(tmp_path, database, name),
            "BOKBRO_DATA_DIR": str(self.data),
            "MEDIA_ROOT": str(self.data / "media"),
            "LOG_LEVEL": "ERROR",
        }
        self.env.pop("BOKBRO_TESTING", None)

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=check,
        )

    def rows(self) -> dict[str, list]:
        """Every row of every model, by model, as `dumpdata` writes them (ordered by key)."""
        dumped = json.loads(self.manage("dumpdata", "--indent", "0").stdout)
        by_model: dict[str, list] = {}
        for row in dumped:
            by_model.setdefault(row["model"], []).append(row)
        return by_model

    def files(self) -> dict[str, str]:
        media = self.data / "media"
        return {
            path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in media.rglob("*")
            if path.is_file()
        }


@pytest.fixture
def filled(tmp_path: Path, request: pytest.FixtureRequest) -> Install:
    source = Install(tmp_path, request.param, "source")
    source.manage("migrate", "-v0")
    source.manage("import_directory")
    source.manage("load_demo")
    source.manage("shell", "-c", FILES)
    return source


@pytest.mark.parametrize("filled", DATABASES, indirect=True)
def test_a_backup_restored_into_an_empty_install_has_every_row_and_file(
    filled: Install, tmp_path: Path
) -> None:
    archive = Path(filled.manage("backup", "--to", str(tmp_path / "backups")).stdout.strip())
    assert archive.name.startswith("bokbro-backup-") and archive.name.endswith(".tar.gz")

    engine = "postgresql" if filled.env["DATABASE_URL"].startswith("postgres") else "sqlite"
    target = Install(tmp_path, engine, "target")
    answer = target.manage("restore", str(archive))
    # The two files above, and those the demo uploads (covers, publications' PDFs, …).
    assert len(filled.files()) > 2
    assert f"with {len(filled.files())} files" in answer.stdout

    rows, restored = filled.rows(), target.rows()
    # Every module's tables took part: the demo and the files above fill each app.
    apps = {model.split(".")[0] for model in rows}
    assert {"directory", "accounts", "plans", "events", "advisory", "projects"} <= apps
    assert {"classsets", "mobile", "competence", "networks", "publications"} <= apps
    assert {"newsletter", "reports"} & apps
    assert restored == rows
    assert target.files() == filled.files()


@pytest.mark.parametrize("filled", ["sqlite"], indirect=True)
def test_restore_refuses_a_database_that_has_tables_and_changes_nothing(
    filled: Install, tmp_path: Path
) -> None:
    archive = filled.manage("backup", "--to", str(tmp_path / "backups")).stdout.strip()
    before = filled.rows()

    answer = filled.manage("restore", archive, check=False)

    assert answer.returncode == 1
    assert "Restore only into an empty database" in answer.stderr
    assert filled.rows() == before


@pytest.mark.parametrize("filled", ["sqlite"], indirect=True)
def test_a_damaged_archive_is_refused_before_anything_is_restored(
    filled: Install, tmp_path: Path
) -> None:
    import io
    import tarfile

    archive = Path(filled.manage("backup", "--to", str(tmp_path / "backups")).stdout.strip())
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member)
            content = data.read() if data else b""
            if member.name.endswith("slides.pdf"):
                content = content.replace(b"slides", b"sl1des")  # same size, other bytes
            copy.addfile(member, io.BytesIO(content))

    target = Install(tmp_path, "sqlite", "target")
    answer = target.manage("restore", str(damaged), check=False)

    assert answer.returncode == 1
    assert "The archive is damaged" in answer.stderr and "slides.pdf" in answer.stderr
    assert tables(tmp_path / "target.sqlite3") == []
    assert target.files() == {}


def tables(sqlite_file: Path) -> list[str]:
    import sqlite3

    if not sqlite_file.exists():
        return []
    with sqlite3.connect(sqlite_file) as conn:
        return [name for (name,) in conn.execute("SELECT name FROM sqlite_master")]
