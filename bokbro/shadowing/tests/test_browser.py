"""Job shadowing's pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, the page's
language, in bokmål, nynorsk, Swedish and English; as a visitor, the applicant, the applicant's
manager and the agency's consultant (the host). Uses the helpers of the core browser tests."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.shadowing import services
from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture
def shadowing_site(world: Any) -> Any:
    offer = make_offer(world)
    world.offer = offer
    world.waiting = services.application_create(
        actor=world.staff,
        agency=world.agency,
        offer=offer,
        person=world.staff_person,
        library=world.library,
        motivation="Jeg vil lære om frivillige.",
    )
    past = make_offer(world, days=-3, title="Forbi")
    world.stay = accepted_stay(world, past, world.staff_person, world.library)
    return world


def check_pages(browsing: Browsing, language: str, who: str, pages: list[str]) -> None:
    for path in pages:
        browsing.visit(path)
        browsing.check(f"[{language}] {who} {path}", language=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_shadowing_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, shadowing_site: Any, language: str
) -> None:
    problems = Problems()
    site = shadowing_site
    pk = site.offer.pk
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        check_pages(visitor, language, "visitor", ["/shadowing/", f"/shadowing/{pk}/"])
    finally:
        visitor.close()
    for who, user, pages in (
        (
            "applicant",
            site.staff,
            [
                "/shadowing/mine/",
                f"/shadowing/applications/{site.waiting.pk}/",
                f"/shadowing/applications/{site.stay.pk}/",
            ],
        ),
        (
            "manager",
            site.manager,
            [
                f"/shadowing/{pk}/",
                "/shadowing/mine/",
                f"/shadowing/applications/{site.waiting.pk}/",
                "/shadowing/new/",
            ],
        ),
        (
            "consultant",
            site.consultant,
            [
                f"/shadowing/{pk}/manage/",
                f"/shadowing/{pk}/edit/",
                f"/shadowing/applications/{site.stay.pk}/",
                "/shadowing/staff/",
                f"/directory/libraries/{site.library.pk}/profile/",
            ],
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
