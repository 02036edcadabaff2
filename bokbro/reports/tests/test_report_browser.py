"""The follow-up and the annual report pages in a real browser: axe-core (WCAG 2.1 A and AA),
the CSP, one <h1>, in bokmål and Swedish. Uses the helpers of the core browser tests."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.reports.models import ReportText
from bokbro.reports.tests.report_fixtures import YEAR, make_year

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source


@pytest.mark.parametrize("language", ["nb", "sv"])
def test_the_follow_up_and_report_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, world: Any, language: str
) -> None:
    make_year(world)
    ReportText.objects.create(
        agency=world.agency, year=YEAR, section="intro", text="Et år med **mange** kurs."
    )
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(world.consultant),
    )
    try:
        for name, path in [
            ("followup", f"/plans/followup/?year={YEAR}"),
            ("report", f"/plans/report/{YEAR}/"),
            ("report-texts", f"/plans/report/{YEAR}/texts/"),
        ]:
            kari.visit(path)
            kari.check(f"[{language}] {path}", language=language, screenshot=f"{language}-{name}")
        # The charts are named images with the numbers in a table beside them.
        kari.visit(f"/plans/report/{YEAR}/")
        charts = kari.page.locator("svg[role=img]")
        if charts.count() != 2:
            problems.add("report", f"{charts.count()} charts, expected 2")
        # The activity lists of the follow-up open without JavaScript (details/summary).
        kari.visit(f"/plans/followup/?year={YEAR}")
        kari.page.locator("details summary").first.click()
        if not kari.page.locator("details[open] a").first.is_visible():
            problems.add("followup", "the activity list does not open")
    finally:
        kari.close()
    problems.assert_none()
