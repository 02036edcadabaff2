"""`make demo`'s data: the real directory, two agencies, their people and events; running it
again changes nothing."""

from __future__ import annotations

import pytest
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
