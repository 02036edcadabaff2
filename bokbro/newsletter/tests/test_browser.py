"""The newsletter pages in a real browser: axe-core (WCAG 2.1 A/AA), one <h1>, no CSP errors,
for the public pages (subscribe with a mistake, confirm, preferences, unsubscribe, archive, an
issue) and the staff pages (overview, list form and page, import, compose, the issue page)."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.events.tests.conftest import make_event
from bokbro.newsletter import links
from bokbro.newsletter.models import ListKind, SubscriberStatus
from bokbro.newsletter.tests.helpers import (
    make_issue,
    make_list,
    make_subscriber,
    png_bytes,
    sent_issue,
)

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source


@pytest.fixture
def newsletter_site(world: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    world.public = make_list(world.agency, "Nyhetsbrev", description="Tre ganger i semesteret")
    make_list(world.agency, "Skolebibliotek")
    world.segment = make_list(
        world.agency, "Biblioteksjefer", kind=ListKind.SEGMENT, segment_roles=["manager"]
    )
    make_subscriber(world.public, "leser@example.org", name="Leser")
    world.pending = make_subscriber(
        world.public, "venter@example.org", status=SubscriberStatus.PENDING
    )
    event = make_event(world.agency, title="Bokprat for barn")
    world.sent = sent_issue(world.public, "Nyhetsbrev nr. 1", intro="Velkommen!")
    world.sent.events.set([event])
    world.draft = make_issue(world.public, "Utkast nr. 2")
    world.draft.events.set([event])
    # Pictures: one placed inside a section of the sent issue, one waiting in the draft.
    placed = add_image(world.sent, "Bokbussen ved biblioteket")
    world.sent.body = (
        f"## Bokbussen\n\nNy rute.\n\n![Bokbussen ved biblioteket](picture:{placed.pk})"
    )
    world.sent.save()
    world.picture = add_image(world.draft, "Forfatterbesøk i Halden")
    return world


def add_image(issue: Any, alt: str) -> Any:
    from django.core.files.base import ContentFile

    from bokbro.newsletter.models import IssueImage

    image = IssueImage(issue=issue, alt=alt)
    image.file.save("bilde.png", ContentFile(png_bytes(40, 30)), save=False)
    image.save()
    return image


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_public_newsletter_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, newsletter_site: Any, language: str
) -> None:
    site = newsletter_site
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    unsubscribe = links.unsubscribe_token(mailing_list_id=site.public.pk, email="leser@example.org")
    preferences = links.preferences_token(agency=site.agency, email="leser@example.org")
    try:
        visitor.visit("/newsletter/")
        visitor.check(
            f"[{language}] subscribe", language=language, screenshot=f"{language}-nl-subscribe"
        )
        # A mistake: no address. The error summary and the field's message must pass too.
        with visitor.page.expect_navigation():
            visitor.page.click("main form.form button[type=submit]")
        visitor.check(f"[{language}] subscribe with errors", language=language)
        for name, path in [
            ("confirm", f"/newsletter/confirm/{links.confirm_token([site.pending.pk])}/"),
            ("preferences", f"/newsletter/preferences/{preferences}/"),
            ("unsubscribe", f"/newsletter/unsubscribe/{unsubscribe}/"),
            ("archive", "/newsletter/archive/"),
            ("issue", site.sent.get_absolute_url()),
            ("subscribed", "/newsletter/subscribed/"),
        ]:
            visitor.visit(path)
            visitor.check(
                f"[{language}] {path}", language=language, screenshot=f"{language}-nl-{name}"
            )
    finally:
        visitor.close()
    problems.assert_none()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_staff_newsletter_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, newsletter_site: Any, language: str
) -> None:
    site = newsletter_site
    problems = Problems()
    staff = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.consultant),
    )
    try:
        for name, path in [
            ("overview", "/newsletter/staff/"),
            ("list-new", "/newsletter/staff/lists/new/"),
            ("list", f"/newsletter/staff/lists/{site.public.pk}/"),
            ("segment", f"/newsletter/staff/lists/{site.segment.pk}/"),
            ("import", f"/newsletter/staff/lists/{site.public.pk}/import/"),
            ("compose", "/newsletter/staff/issues/new/"),
            ("issue-edit", f"/newsletter/staff/issues/{site.draft.pk}/edit/"),
            ("issue-draft", f"/newsletter/staff/issues/{site.draft.pk}/"),
            ("issue-sent", f"/newsletter/staff/issues/{site.sent.pk}/"),
        ]:
            staff.visit(path)
            staff.check(
                f"[{language}] {path}", language=language, screenshot=f"{language}-nl-{name}"
            )
        # "Insert in the text" puts the picture's reference where the cursor is.
        staff.visit(f"/newsletter/staff/issues/{site.draft.pk}/edit/")
        staff.page.fill("#id_body", "Før.")
        staff.page.click("[data-insert-picture]")
        body = staff.page.input_value("#id_body")
        assert f"![Forfatterbesøk i Halden](picture:{site.picture.pk})" in body
        staff.visit("/newsletter/staff/issues/new/")
        with staff.page.expect_navigation():
            staff.page.click("form.form button[type=submit]")
        staff.check(f"[{language}] compose with errors", language=language)
    finally:
        staff.close()
    problems.assert_none()
