"""`make demo`'s data: the real directory, two agencies, their people and events; running it
again changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command

from bokbro.directory.models import Agency, Person, TeamMember
from bokbro.events.models import Event, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_loads_on_the_imported_directory_and_is_idempotent(client_for, capsys):
    call_command("import_directory")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "ingrid.berg@ostfold.example" in out and "sven.karlsson@varnamo.example" in out

    counts = (
        Agency.objects.count(),
        TeamMember.objects.count(),
        Person.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
    )
    call_command("load_demo")
    assert counts == (
        Agency.objects.count(),
        TeamMember.objects.count(),
        Person.objects.count(),
        Event.objects.count(),
        Registration.objects.count(),
    )
    assert counts[0] == 2 and counts[3] >= 4
    # One course asks the managers' approval: its places wait for a decision.
    assert Registration.objects.filter(
        event__title="Bokprat for barn", status=RegistrationStatus.PENDING_APPROVAL
    ).exists()

    # Each agency answers on its own host name; localhost gets the Norwegian default agency.
    norwegian = client_for(None, host="localhost").get("/events/").content.decode()
    swedish = client_for(None, host="jonkoping.localhost").get("/events/").content.decode()
    assert "Bokprat for barn" in norwegian and "Läsfrämjande i praktiken" not in norwegian
    assert "Läsfrämjande i praktiken" in swedish and 'lang="sv"' in swedish


def test_the_demo_refuses_to_run_before_the_directory_is_imported():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="import_directory"):
        call_command("load_demo")


@pytest.mark.parametrize(
    ("site_root", "port", "printed"),
    [
        ("http://127.0.0.1:8000", 8123, "8123"),
        ("http://127.0.0.1:9000", None, "9000"),
        ("https://bokbro.example.no", None, "8000"),
    ],
)
def test_the_demo_prints_the_addresses_on_the_port_it_is_served_on(
    site_root, port, printed, settings, monkeypatch, capsys
):
    settings.SITE_ROOT = site_root
    monkeypatch.setattr("bokbro.core.management.commands.load_demo.load_all", lambda: [])
    call_command("load_demo", *(["--port", str(port)] if port else []))
    out = capsys.readouterr().out
    assert f"http://ostfold.localhost:{printed}/ (and http://127.0.0.1:{printed}/)" in out
    assert f"http://jonkoping.localhost:{printed}/" in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_prints_and_serves_the_same_port():
    """`PORT=8123 make demo` serves on 8123 and tells load_demo so (make -n: nothing runs)."""
    commands = subprocess.run(
        ["make", "--dry-run", "--always-make", "demo"],
        cwd=settings.PROJECT_DIR,
        env={**os.environ, "PORT": "8123"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "manage.py load_demo --port 8123" in commands
    assert "manage.py serve --host 127.0.0.1 --port 8123" in commands
