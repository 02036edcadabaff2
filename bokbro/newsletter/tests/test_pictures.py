"""Pictures placed inside a section's text: ![what it shows](picture:12)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.core.tests.test_emails import parts
from bokbro.newsletter.models import IssueStatus
from bokbro.newsletter.services import issues
from bokbro.newsletter.tests.helpers import make_issue, make_list, make_subscriber, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def add_picture(client, issue, alt):
    client.post(
        f"/newsletter/staff/issues/{issue.pk}/images/",
        {"file": SimpleUploadedFile("bilde.png", png_bytes(40, 30)), "alt": alt},
    )
    return issue.images.get(alt=alt)


def edit(client, issue, body):
    return client.post(
        f"/newsletter/staff/issues/{issue.pk}/edit/",
        {
            "mailing_list": issue.mailing_list_id,
            "subject": issue.subject,
            "body": body,
            "is_archived": "on",
        },
    )


def test_a_picture_placed_in_a_section_is_there_in_the_archive_and_in_the_mail(
    world, media, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    newsletter = make_list(world.agency)
    make_subscriber(newsletter, "leser@example.org")
    issue = make_issue(newsletter, "Bokbussen")
    client = client_for(world.consultant)
    bus = add_picture(client, issue, "Bokbussen")
    after = add_picture(client, issue, "Kart over rutene")
    page = client.get(f"/newsletter/staff/issues/{issue.pk}/edit/").content.decode()
    assert f"![Bokbussen](picture:{bus.pk})" in page  # the reference to paste

    response = edit(
        client,
        issue,
        "## Ny rute\n\nBussen kjører nå til Hvaler.\n\n"
        f"![Bokbussen ved Skjærhalden](picture:{bus.pk})\n\n## Kurs\n\nPåmelding er åpen.",
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        issues.issue_schedule(actor=world.consultant, agency=world.agency, issue=issue, when=None)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT

    key = bus.file.name.rpartition("/")[2].partition(".")[0]
    archive = client_for(None).get(issue.get_absolute_url()).content.decode()
    img = archive.index('alt="Bokbussen ved Skjærhalden"')
    assert archive.index("til Hvaler") < img < archive.index("Påmelding er åpen")
    assert f"/newsletter/images/{key}/" in archive[archive.rindex("<img", 0, img) : img]
    # The picture not placed in the text is shown after it, as before.
    assert archive.index('alt="Kart over rutene"') > archive.index("Påmelding er åpen")
    assert archive.count("<img") == 2

    (message,) = [m for _f, _t, m in smtp_sink.messages]
    body = parts(message)
    html = body["text/html"]
    img = html.index('alt="Bokbussen ved Skjærhalden"')
    assert html.index("til Hvaler") < img < html.index("Påmelding er åpen")
    assert f"/newsletter/images/{key}/" in html[html.rindex("<img", 0, img) : img]
    assert "Bokbussen ved Skjærhalden]" in body["text/plain"]
    assert f"/newsletter/images/{key}/" in body["text/plain"]
    assert 'alt="Kart over rutene"' in html and after.alt in body["text/plain"]


def test_a_reference_to_a_picture_the_issue_does_not_have_is_refused_on_save(
    world, media, client_for
):
    issue = make_issue(make_list(world.agency), body="Før")
    other = make_issue(make_list(world.agency, "Annen"))
    client = client_for(world.consultant, language="en")
    foreign = add_picture(client, other, "Annen sak")

    response = edit(client, issue, f"Tekst\n\n![Et bilde](picture:{foreign.pk})")

    assert response.status_code == 200
    page = response.content.decode()
    assert f"This issue has no picture “picture:{foreign.pk}”" in page
    issue.refresh_from_db()
    assert issue.body == "Før"


def test_a_reference_without_words_uses_the_pictures_description_and_markup_is_escaped(
    world, media, client_for
):
    issue = make_issue(make_list(world.agency), status=IssueStatus.DRAFT)
    client = client_for(world.consultant)
    bus = add_picture(client, issue, "Bokbussen")
    assert (
        edit(client, issue, f'![](picture:{bus.pk}) og ![<b>"x"](picture:{bus.pk})').status_code
        == 302
    )

    page = client.get(f"/newsletter/staff/issues/{issue.pk}/").content.decode()

    assert 'alt="Bokbussen"' in page
    assert 'alt="&lt;b&gt;&quot;x&quot;"' in page
    assert '<b>"x"' not in page
