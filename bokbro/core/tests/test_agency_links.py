"""One install, two agencies: every link in a mail leads to the agency's own site, in its
language, with its name — not to one install-wide host (SITE_ROOT)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail

from bokbro.core import ics
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

URL = re.compile(r"https?://[^\s\"'<>)]+")


def links_in(message: Any) -> set[str]:
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    return {url.rstrip(".,") for body in bodies for url in URL.findall(body)}


@pytest.mark.parametrize("which", ["agency", "other_agency"])
def test_every_link_in_a_registration_mail_opens_the_agencys_own_site(
    world, client_for, django_capture_on_commit_callbacks, which
):
    agency = getattr(world, which)
    event = make_event(agency, title="Bokprat / Boksamtal")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(
            event=event, name="Kari", email="kari@example.org", language=agency.language
        )

    (message,) = mail.outbox
    links = links_in(message)
    assert links, "the confirmation links to the registration"
    for link in links:
        parts = urlsplit(link)
        assert link.startswith(agency.base_url + "/"), link
        page = client_for(None, host=parts.netloc).get(
            parts.path + ("?" + parts.query if parts.query else "")
        )
        assert page.status_code == 200, link
        html = page.content.decode()
        assert agency.name in html, link
        assert f'<html lang="{agency.language}"' in html, link


def test_calendar_entries_carry_the_agencys_site_in_their_url_and_uid(world):
    for agency in (world.agency, world.other_agency):
        event = make_event(agency)
        cal = ics.calendar("test")
        ics.event_sessions(cal, event)
        text = ics.to_bytes(cal).decode()
        host = urlsplit(agency.base_url).hostname
        assert f"URL:{agency.base_url}{event.get_absolute_url()}" in text.replace("\r\n ", "")
        assert re.search(rf"UID:[^\r\n]*@{re.escape(host)}\r\n", text)


@pytest.mark.parametrize("which", ["agency", "other_agency"])
def test_every_link_in_a_newsletter_opens_the_agencys_own_site(world, client_for, which):
    from bokbro.newsletter.models import MailingList
    from bokbro.newsletter.rendering import IssueRenderer
    from bokbro.newsletter.tests.helpers import sent_issue

    agency = getattr(world, which)
    newsletter = MailingList.objects.create(agency=agency, name="Nyhetsbrev", is_public=True)
    issue = sent_issue(newsletter, "Desember", is_archived=True)
    message = IssueRenderer(issue).message_for(
        email="kari@example.org", name="Kari", language=agency.language
    )

    # Every link but the one the editor wrote in the text (https://example.org/kurs).
    links = {link for link in links_in(message) if "example.org" not in link}
    assert len(links) >= 3  # the issue on the web, unsubscribe, preferences
    for link in links:
        parts = urlsplit(link)
        assert link.startswith(agency.base_url + "/"), link
        page = client_for(None, host=parts.netloc).get(parts.path)
        assert page.status_code == 200, link
        assert agency.name in page.content.decode(), link
