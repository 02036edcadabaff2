"""A library's manager's pages in a real browser (axe-core, WCAG 2.1 A and AA, the CSP) in
bokmål, nynorsk, Swedish and English: the library with its people waiting for confirmation,
the people page, the details form (also sent with a bad web address), the profile as the
library's staff see it, and My page."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.directory.models import PendingColleague

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_a_managers_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, world: Any, language: str
) -> None:
    PendingColleague.objects.create(
        library=world.library, name="Nils Ny", email="nils@fredrikstad.example"
    )
    problems = Problems()
    library = world.library.pk
    for user, who, paths in (
        (
            world.manager,
            "manager",
            [
                f"/directory/libraries/{library}/",
                f"/directory/libraries/{library}/people/",
                f"/directory/libraries/{library}/details/",
                f"/directory/libraries/{library}/profile/",
                "/me/",
            ],
        ),
        (world.staff, "staff", [f"/directory/libraries/{library}/profile/", "/me/"]),
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
            for path in paths:
                browsing.visit(path)
                browsing.check(f"[{language}] {who} {path}", language=language)
            if who == "manager":
                path = f"/directory/libraries/{library}/details/"
                browsing.visit(path)
                page = browsing.page
                page.fill("#id_website", "not a web address")
                with page.expect_navigation():
                    page.locator("main button[type=submit]").click()
                where = f"[{language}] manager {path} (invalid)"
                if page.locator("#id_website[aria-invalid=true]").count() != 1:
                    problems.add(where, "the web address is not marked aria-invalid")
                browsing.check(where, language=language)
        finally:
            browsing.close()
    problems.assert_none()
