"""Every page on a phone (390 px wide): none scrolls sideways.

The pages are the access matrix's, each as the role that sees the most of it among the agency's
administrator, a library manager and the public visitor, so a page added with its matrix row is
checked too. Wide tables may scroll inside their own box (`.table-wrap`), but the page does not,
and on a phone a table's rows stack into labelled blocks (bokbro.js, bokbro.css)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from bokbro.core.tests import test_access_matrix as matrix
from bokbro.core.tests import test_browser as core
from bokbro.core.tests.access_roles import ROLES
from bokbro.core.tests.test_access_matrix import GET_EXPECTED, url_kwargs
from bokbro.core.tests.test_browser import Browsing, Problems, session_for

pytestmark = pytest.mark.browser

site = matrix.site  # the access matrix's pages and objects (a fixture)
browser = core.browser
axe_source = core.axe_source
PHONE = 390
SCREENSHOT_DIR = settings.PROJECT_DIR / "test-artifacts" / "screenshots"
# Wide staff tables, photographed on the phone for a person to look at.
SCREENSHOTS = {
    "/participants/": "participants",
    "/plans/municipal/": "municipal-plans",
    "/economy/": "economy",
    "/projects/staff/funders/": "funders",
    "/staff/team/": "team",
}
ROLES_CHECKED = ("admin", "manager", "anonymous")


# The outermost elements that reach past the viewport's right edge (outside any box that scrolls
# by itself), named like a CSS selector, to say what to fix.
CULPRITS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const walk = (el) => {
    const scrolls = ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
    const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        [...e.classList].map(c => '.' + c).join('');
    if (el.getBoundingClientRect().right > width + 0.5) {
      const inner = [...el.children].some(c => c.getBoundingClientRect().right > width + 0.5);
      if (!inner || scrolls) {
        const px = Math.round(el.getBoundingClientRect().width);
        found.push(name(el.parentElement) + ' > ' + name(el) + ' (' + px + 'px)');
        return;
      }
    }
    if (scrolls) return;
    for (const child of el.children) walk(child);
  };
  walk(document.body);
  return found.slice(0, 4);
}"""


def pages(site: Any) -> dict[str, list[str]]:
    """The paths to check, by the role to check them as."""
    chosen: dict[str, list[str]] = {role: [] for role in ROLES_CHECKED}
    for name in sorted(GET_EXPECTED):
        answers = dict(zip(ROLES, GET_EXPECTED[name], strict=True))
        role = next((r for r in ROLES_CHECKED if answers[r] == 200), None)
        if role is not None:
            chosen[role].append(reverse(name, kwargs=url_kwargs(name, site)))
    return chosen


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    checked = 0
    for role, paths in pages(site).items():
        user = None if role == "anonymous" else site.world.users()[role]
        phone = Browsing(
            browser,
            live_server.url,
            axe_source,
            problems,
            language="nb",
            session_key=session_for(user) if user else None,
            width=PHONE,
        )
        try:
            for path in paths:
                try:
                    response = phone.page.goto(path, wait_until="load")
                except PlaywrightError:  # a download (CSV, XLSX, PDF, calendar file)
                    continue
                if response is None or "text/html" not in (
                    response.header_value("content-type") or ""
                ):
                    continue
                checked += 1
                for part, name in SCREENSHOTS.items():
                    if part in path:
                        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
                        phone.page.screenshot(path=str(SCREENSHOT_DIR / f"phone-{name}.png"))
                overflow = phone.page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    culprits = phone.page.evaluate(CULPRITS)
                    problems.add(
                        f"[{PHONE}px, {role}] {path}",
                        f"scrolls sideways by {overflow}px; too wide: {', '.join(culprits)}",
                    )
        finally:
            phone.close()
    assert checked > 100
    problems.assert_none()


def test_the_menus_fold_behind_a_button_that_works_by_keyboard(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    phone = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language="nb",
        session_key=session_for(site.world.admin),
        width=PHONE,
    )
    page = phone.page
    try:
        phone.visit("/")
        button = page.locator(".site-menu-button")
        assert button.is_visible() and button.inner_text().strip().endswith("Meny")
        assert button.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-nav").is_visible()
        assert not page.locator("#site-nav-work").is_visible()

        # By keyboard: Tab reaches the button (after the skip link and the site's name).
        for _ in range(3):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('site-menu-button')"):
                break
        else:
            raise AssertionError("Tab does not reach the menu button")
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert page.locator("#site-nav").is_visible()
        assert page.locator("#site-nav-work a", has_text="Administrer arrangementer").is_visible()
        phone.check("[390px] / with the menu open", language="nb", screenshot="phone-menu-open")

        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-nav").is_visible()
        assert page.evaluate("document.activeElement.classList.contains('site-menu-button')")
    finally:
        phone.close()
    problems.assert_none()


def test_a_wide_table_stacks_its_rows_on_a_phone_with_each_value_labelled(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    phone = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language="nb",
        session_key=session_for(site.world.admin),
        width=PHONE,
    )
    page = phone.page
    try:
        phone.visit("/plans/municipal/")
        table = page.locator(".table-wrap > table.ds-table").first
        assert table.get_attribute("data-stacked") == ""
        assert table.get_attribute("role") == "table"
        row = table.locator("tbody tr").first
        assert row.evaluate("r => getComputedStyle(r).display") == "grid"
        labels = row.locator("[data-label]").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-label'))"
        )
        headers = table.locator("thead th").evaluate_all(
            "cells => cells.map(c => c.textContent.trim())"
        )
        assert labels == headers[: len(labels)] and len(labels) >= 3
        head = table.locator("thead").bounding_box()
        assert head is not None and head["height"] <= 1  # visually hidden, read by screen readers
        page.screenshot(path=str(SCREENSHOT_DIR / "phone-stacked-table.png"), full_page=True)
        phone.check("[390px] /plans/municipal/", language="nb")
    finally:
        phone.close()
    problems.assert_none()
