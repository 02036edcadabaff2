"""Composing an issue, its preview, scheduling, and the public archive with its feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bokbro.events.tests.conftest import make_event
from bokbro.newsletter import sending
from bokbro.newsletter.models import Issue, IssueStatus
from bokbro.newsletter.tests.helpers import make_issue, make_list, png_bytes, sent_issue

pytestmark = pytest.mark.django_db


def test_staff_compose_an_issue_with_chosen_events_and_see_it_previewed(world, client_for):
    newsletter = make_list(world.agency)
    event = make_event(world.agency, title="Litteraturformidling for voksne")
    make_event(world.other_agency, title="Svenskt evenemang")
    client = client_for(world.consultant)

    form = client.get("/newsletter/staff/issues/new/").content.decode()
    assert "Litteraturformidling for voksne" in form
    assert "Svenskt evenemang" not in form
    response = client.post(
        "/newsletter/staff/issues/new/",
        {
            "mailing_list": newsletter.pk,
            "subject": "Høstens nyheter",
            "intro": "Velkommen til høsten.",
            "body": "## Prosjekter\n\nLes om [prosjektet](https://example.org/p).\n\n<script>x</script>",
            "events": [event.pk],
            "is_archived": "on",
        },
    )

    issue = Issue.objects.get()
    assert response.status_code == 302
    assert issue.created_by == world.consultant
    page = client.get(f"/newsletter/staff/issues/{issue.pk}/").content.decode()
    assert "<h2>Prosjekter</h2>" in page
    assert "Litteraturformidling for voksne" in page
    assert "<script>x</script>" not in page
    email = client.get(f"/newsletter/staff/issues/{issue.pk}/email/")
    assert "'unsafe-inline'" in email["Content-Security-Policy"]
    assert "https://example.org/p" in email.content.decode()


def test_a_too_large_picture_is_refused_and_a_small_one_is_shown(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.NEWSLETTER_MAX_IMAGE_BYTES = 2000
    issue = make_issue(make_list(world.agency))
    client = client_for(world.consultant)
    url = f"/newsletter/staff/issues/{issue.pk}/images/"
    noise = png_bytes(200, 200, noise=True)
    assert len(noise) > 2000

    client.post(url, {"file": SimpleUploadedFile("stor.png", noise), "alt": "Stor"})
    client.post(url, {"file": SimpleUploadedFile("liten.png", png_bytes()), "alt": "Bokbussen"})

    (image,) = issue.images.all()
    assert image.alt == "Bokbussen"
    page = client.get(f"/newsletter/staff/issues/{issue.pk}/").content.decode()
    assert 'alt="Bokbussen"' in page
    key = image.file.name.rpartition("/")[2].partition(".")[0]
    assert client_for(None).get(f"/newsletter/images/{key}/").status_code == 200


def test_a_scheduled_issue_goes_out_when_due(world, client_for, settings):
    from bokbro.newsletter.tests.helpers import make_subscriber

    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "a@example.org")
    issue = make_issue(newsletter)
    when = timezone.localtime() + timedelta(hours=1)
    response = client_for(world.consultant).post(
        f"/newsletter/staff/issues/{issue.pk}/schedule/",
        {"when": "later", "send_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED

    assert sending.issues_start_due() == 0
    Issue.objects.filter(pk=issue.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert sending.issues_start_due() == 1
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    assert issue.recipients_count == 1
    # A second worker starting it again creates nothing twice.
    assert sending.issues_start_due() == 0
    assert issue.deliveries.count() == 1


def test_the_archive_and_feed_show_sent_issues_of_public_lists_only(world, client_for):
    public = make_list(world.agency, "Nyhetsbrev")
    internal = make_list(world.agency, "Internt", is_public=False)
    sent_issue(public, "Nummer 1 2026", intro="Om **kurs**.")
    sent_issue(internal, "Internt nummer")
    make_issue(public, "Utkastet")
    hidden = sent_issue(public, "Ikke i arkivet", is_archived=False)
    client = client_for(None)

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/newsletter/archive/").content.decode()
    assert "Nummer 1 2026" in page
    assert "Internt nummer" not in page and "Utkastet" not in page and "Ikke i arkivet" not in page
    assert len(queries) <= 8

    feed = client.get("/newsletter/archive/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)  # noqa: S314 (our own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Nummer 1 2026"
    ]
    assert client.get(f"/newsletter/archive/{hidden.pk}/").status_code == 404
    # Another agency's site has its own archive.
    other = client_for(None, host="jonkoping.testserver")
    assert "Nummer 1 2026" not in other.get("/newsletter/archive/").content.decode()


def test_a_sent_issue_can_not_be_changed(world, client_for):
    issue = sent_issue(make_list(world.agency))
    client = client_for(world.consultant)
    response = client.post(
        f"/newsletter/staff/issues/{issue.pk}/edit/",
        {"mailing_list": issue.mailing_list_id, "subject": "Endret", "body": "x"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "Sendt nummer"


def test_the_staff_overview_counts_with_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.consultant)
    client.get("/newsletter/staff/")
    newsletter = make_list(world.agency)
    for n in range(3):
        sent_issue(newsletter, f"Nummer {n}")
    with CaptureQueriesContext(connection) as few:
        client.get("/newsletter/staff/")
    for n in range(3, 9):
        sent_issue(make_list(world.agency, f"Liste {n}"), f"Nummer {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/newsletter/staff/")
    assert response.status_code == 200
    assert len(many) == len(few)
