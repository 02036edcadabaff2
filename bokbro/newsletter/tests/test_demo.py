"""The demo content: lists, subscribers and one sent issue per agency, loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bokbro.newsletter import demo
from bokbro.newsletter.models import Issue, MailingList, Subscriber

pytestmark = pytest.mark.django_db


def test_the_demo_has_lists_and_an_archived_issue_per_agency_and_loads_once(client_for):
    call_command("import_directory")
    call_command("load_demo")
    counts = (MailingList.objects.count(), Subscriber.objects.count(), Issue.objects.count())
    demo.load()
    assert counts == (
        MailingList.objects.count(),
        Subscriber.objects.count(),
        Issue.objects.count(),
    )
    assert counts[2] == 2

    archive = client_for(None, host="localhost").get("/newsletter/archive/").content.decode()
    assert "Nyhetsbrev nr. 1" in archive
    issue = Issue.objects.get(subject="Nyhetsbrev nr. 1")
    assert client_for(None, host="localhost").get(issue.get_absolute_url()).status_code == 200
