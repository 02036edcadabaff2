"""The networks' pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, the page's
language, in bokmål, nynorsk, Swedish and English; as a visitor, a member, a coordinator and the
agency's consultant. Uses the helpers of the core browser tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.networks import services
from bokbro.networks.models import Joining
from bokbro.networks.tests.conftest import make_network, meeting_data

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture
def networks_site(world: Any) -> Any:
    network = make_network(world, joining=Joining.APPLICATION)
    services.member_set(
        actor=world.consultant,
        agency=world.agency,
        network=network,
        person=world.manager_person,
        coordinator=True,
    )
    services.member_set(
        actor=world.consultant,
        agency=world.agency,
        network=network,
        person=world.staff_person,
        coordinator=False,
    )
    services.network_join(actor=world.other_manager, agency=world.agency, network=network)
    services.document_add(
        actor=world.consultant,
        agency=world.agency,
        network=network,
        title="Leseplan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x"),
    )
    past = timezone.now() - timedelta(days=3)
    held = services.meeting_create(
        actor=world.consultant,
        agency=world.agency,
        network=network,
        data=services.MeetingData(
            title="Høstsamling", starts_at=past, ends_at=past + timedelta(hours=2)
        ),
    )
    services.meeting_notes_save(
        actor=world.consultant,
        agency=world.agency,
        meeting=held,
        notes="Vi **delte**.",
        publish=True,
    )
    services.meeting_create(
        actor=world.consultant, agency=world.agency, network=network, data=meeting_data()
    )
    world.network = network
    world.held = held
    return world


def check_pages(browsing: Browsing, language: str, who: str, pages: list[str]) -> None:
    for path in pages:
        browsing.visit(path)
        browsing.check(f"[{language}] {who} {path}", language=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_network_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, networks_site: Any, language: str
) -> None:
    problems = Problems()
    site = networks_site
    pk = site.network.pk
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        check_pages(visitor, language, "visitor", ["/networks/", f"/networks/{pk}/"])
    finally:
        visitor.close()
    for who, user, pages in (
        ("member", site.staff, ["/", f"/networks/{pk}/", f"/networks/{pk}/members/"]),
        (
            "coordinator",
            site.manager,
            [
                f"/networks/{pk}/manage/",
                f"/networks/{pk}/edit/",
                f"/networks/{pk}/manage/mail/",
                f"/networks/{pk}/manage/documents/new/",
                f"/networks/{pk}/manage/meetings/new/",
                f"/networks/{pk}/manage/meetings/{site.held.pk}/notes/",
            ],
        ),
        (
            "consultant",
            site.consultant,
            ["/networks/new/", f"/directory/libraries/{site.library.pk}/profile/"],
        ),
    ):
        browsing = Browsing(
            browser,
            live_server.url,
            axe_source,
            problems,
            language=language,
            session_key=session_for(user),
        )
        try:
            check_pages(browsing, language, who, pages)
        finally:
            browsing.close()
    problems.assert_none()
