"""Every page in a real browser: axe-core (WCAG 2.1 A and AA), the keyboard, and the CSP.

Debian's Chromium is driven by Playwright against pytest-django's live server. Each test checks
a list of pages and reports every problem it finds at once, so one run shows all that is wrong.
Full-page screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SCREENSHOTS = settings.PROJECT_DIR / "test-artifacts" / "screenshots"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
SCREENSHOT_LANGUAGE = "nb"
CSP_ERROR = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


# --- The browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


@dataclass
class Problems:
    """Everything wrong on the pages a test visits, reported together at the end."""

    items: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")

    def assert_none(self) -> None:
        assert not self.items, f"{len(self.items)} problem(s):\n\n" + "\n\n".join(self.items)


class Browsing:
    """One browser context (a visitor: language cookie, maybe a session) and its page."""

    def __init__(
        self,
        browser: Any,
        base_url: str,
        axe_source: str,
        problems: Problems,
        *,
        language: str | None = None,
        session_key: str | None = None,
        width: int = 1280,
    ) -> None:
        self.base_url = base_url
        self.axe_source = axe_source
        self.problems = problems
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": 900}, locale="nb-NO"
        )
        cookies = []
        if language:
            cookies.append(
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}
            )
        if session_key:
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base_url}
            )
        if cookies:
            self.context.add_cookies(cookies)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))
        self.failed: list[str] = []
        self.page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type == "error" or CSP_ERROR.search(message.text):
            self.console.append(f"console {message.type}: {message.text}")

    def _on_response(self, response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def close(self) -> None:
        self.context.close()

    def visit(self, path: str, *, status: int = 200) -> Any:
        self.console.clear()
        self.failed.clear()
        response = self.page.goto(path, wait_until="load")
        if response is None or response.status != status:
            got = response.status if response else "no response"
            self.problems.add(path, f"HTTP status {got}, expected {status}")
        elif "script-src 'self'" not in (response.header_value("content-security-policy") or ""):
            self.problems.add(path, "the page is served without the strict CSP")
        return response

    def check(self, where: str, *, language: str | None, screenshot: str | None = None) -> None:
        """The checks every page must pass: lang, scripts loaded, no CSP errors, axe clean."""
        page = self.page
        # A form posted just before may still be loading its answer; check the page it gives.
        page.wait_for_load_state("load")
        page.wait_for_function("document.readyState === 'complete' && !!document.documentElement")
        lang = page.evaluate("document.documentElement.lang")
        if language and lang != language:
            self.problems.add(where, f'<html lang="{lang}">, expected "{language}"')
        if not page.evaluate("typeof window.htmx !== 'undefined'"):
            self.problems.add(where, "htmx did not load (window.htmx is undefined)")
        if not page.evaluate("document.querySelector('script[src*=\"bokbro.js\"]') !== null"):
            self.problems.add(where, "bokbro.js is not on the page")
        headings = page.locator("h1").count()
        if headings != 1:
            self.problems.add(where, f"{headings} <h1> elements, expected exactly one")
        expected_404 = page.url.endswith("/no-such-page/")
        for message in self.console:
            if expected_404 and "404" in message and not CSP_ERROR.search(message):
                continue
            self.problems.add(where, message)
        for failure in self.failed:
            self.problems.add(where, f"a resource failed to load: {failure}")
        for violation in self.axe():
            self.problems.add(where, violation)
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)

    def axe(self) -> list[str]:
        """axe-core's WCAG 2.1 A/AA violations, each with its help text and the nodes at fault.

        The script is evaluated through the DevTools protocol, which the page's CSP does not
        govern, so the pages are tested under their real policy.
        """
        page = self.page
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source)
        results = page.evaluate(
            "async (options) => await window.axe.run(document, options)", AXE_OPTIONS
        )
        found = []
        for violation in results["violations"]:
            nodes = "\n".join(
                f"      {json.dumps(node['target'])}: {node.get('failureSummary', '')}".replace(
                    "\n", " "
                )
                for node in violation["nodes"]
            )
            found.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    {violation['helpUrl']}\n{nodes}"
            )
        return found


@pytest.fixture
def site(world: Any) -> Any:
    """The `world`, with the details a real agency fills in, so the pages show real content."""
    from bokbro.directory import services
    from bokbro.directory.models import (
        Library,
        LibraryKind,
        Organisation,
        OrganisationKind,
        Person,
        TeamMember,
    )

    agency = world.agency
    agency.organisation_name = "Østfold fylkeskommune"
    agency.street_address = "Storgata 1"
    agency.postcode = "1607"
    agency.city = "Fredrikstad"
    agency.phone = "+47 69 00 00 00"
    agency.website = "https://ostfold.example"
    agency.save()
    TeamMember.objects.filter(agency=agency, email="kari@ostfold.example").update(
        title="Rådgiver", area="Kurs og kompetanseutvikling", phone="+47 900 00 000"
    )
    Organisation.objects.create(
        name="Gressvik skole",
        kind=OrganisationKind.choices[0][0],
        municipality=world.municipality,
        email="post@gressvik.example",
    )
    services.library_update(
        actor=world.admin,
        agency=agency,
        library=world.library,
        data=services.LibraryData.of(
            world.library,
            street_address="Kirkegata 3",
            postcode="1607",
            city="Fredrikstad",
            email="bibliotek@fredrikstad.example",
            website="https://fredrikstad.example",
        ),
    )
    Person.objects.filter(pk=world.manager_person.pk).update(title="Biblioteksjef")
    world.derived_library = Library.objects.create(
        name="Gressvik bibliotek",
        kind=LibraryKind.BRANCH,
        municipality=world.municipality,
        is_derived=True,
        source="derived",
    )
    return world


def session_for(user: Any) -> str:
    """A signed-in session for `user`, as the live server will see it (same test database)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def public_pages(world: Any) -> list[tuple[str, str, int]]:
    """(name, path, expected status) of every page anyone may see."""
    county = world.county
    municipality = world.municipality
    return [
        ("home", "/", 200),
        ("directory", "/directory/", 200),
        ("directory-search", "/directory/?q=Fredrik", 200),
        ("county", f"/directory/{county.country.lower()}/{county.code}/", 200),
        (
            "municipality",
            f"/directory/municipalities/{municipality.country.lower()}/{municipality.code}/",
            200,
        ),
        ("library-list", "/directory/libraries/", 200),
        ("library-list-search", "/directory/libraries/?q=Sarp", 200),
        ("library", f"/directory/libraries/{world.library.pk}/", 200),
        ("library-unchecked", f"/directory/libraries/{world.derived_library.pk}/", 200),
        ("organisation-list", "/directory/organisations/", 200),
        ("team", "/team/", 200),
        ("privacy", "/privacy/", 200),
        ("accessibility", "/accessibility/", 200),
        ("contact", "/contact/", 200),
        ("api-reference", "/api/docs", 200),
        ("login", "/accounts/login/", 200),
        ("login-code", "/accounts/login/code/", 200),
        ("signup", "/accounts/signup/", 200),
        ("not-found", "/no-such-page/", 404),
    ]


def staff_pages(world: Any) -> list[tuple[str, str, int]]:
    return [
        ("me", "/me/", 200),
        ("people", "/directory/people/", 200),
        ("person", f"/directory/people/{world.manager_person.pk}/", 200),
        ("library-staff-view", f"/directory/libraries/{world.library.pk}/", 200),
        ("library-edit", f"/directory/libraries/{world.library.pk}/edit/", 200),
        ("audit-log", "/staff/audit/", 200),
        ("agency-edit", "/staff/agency/", 200),
        ("two-factor", "/accounts/2fa/", 200),
        ("two-factor-activate", "/accounts/2fa/totp/activate/", 200),
        ("emails", "/accounts/email/", 200),
    ]


def shot(language: str, name: str) -> str | None:
    return f"{language}-{name}" if language == SCREENSHOT_LANGUAGE else None


# --- The tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_pass_axe_in_every_language(
    browser: Any, axe_source: str, live_server: Any, site: Any, language: str
) -> None:
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        for name, path, status in public_pages(site):
            visitor.visit(path, status=status)
            screenshot = shot(language, name)
            if language != SCREENSHOT_LANGUAGE and name in {"home", "library", "login"}:
                screenshot = f"{language}-{name}"
            visitor.check(f"[{language}] {path}", language=language, screenshot=screenshot)
    finally:
        visitor.close()
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_pages_pass_axe_in_every_language(
    browser: Any, axe_source: str, live_server: Any, site: Any, language: str
) -> None:
    problems = Problems()
    admin = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.admin),
    )
    try:
        for name, path, status in staff_pages(site):
            admin.visit(path, status=status)
            admin.check(
                f"[{language}] admin {path}",
                language=language,
                screenshot=shot(language, f"admin-{name}"),
            )

        # The library form sent with wrong values: the error summary and the field errors.
        path = f"/directory/libraries/{site.library.pk}/edit/"
        admin.visit(path)
        page = admin.page
        page.fill("#id_name", "")
        page.fill("#id_email", "not-an-e-mail-address")
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        where = f"[{language}] admin {path} (invalid)"
        if not page.locator(".ds-error-summary").is_visible():
            problems.add(where, "no error summary after an invalid submission")
        elif not page.evaluate("document.activeElement.classList.contains('ds-error-summary')"):
            problems.add(where, "the error summary does not have focus")
        if page.locator("#id_email[aria-invalid=true]").count() != 1:
            problems.add(where, "the e-mail field is not marked aria-invalid")
        admin.check(where, language=language, screenshot=shot(language, "admin-library-invalid"))
    finally:
        admin.close()

    manager = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.manager),
    )
    try:
        path = f"/directory/libraries/{site.library.pk}/"
        manager.visit(path)
        if not manager.page.locator("#people-heading").is_visible():
            problems.add(f"[{language}] manager {path}", "the manager does not see the people")
        manager.check(
            f"[{language}] manager {path}",
            language=language,
            screenshot=shot(language, "manager-library"),
        )
    finally:
        manager.close()
    problems.assert_none()


def test_keyboard_skip_link_navigation_and_language_switcher(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems)
    page = visitor.page
    try:
        visitor.visit("/")
        assert page.evaluate("document.documentElement.lang") == "nb"

        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert "ds-skip-link" in focused, f"the first Tab stop is {focused!r}, not the skip link"
        assert page.evaluate(
            "getComputedStyle(document.activeElement).clip === 'auto' "
            "|| document.activeElement.getBoundingClientRect().width > 1"
        ), "the skip link is not visible when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        # From the top: every header control and every menu link is a Tab stop, in order.
        visitor.visit("/")
        stops = []
        for _ in range(30):
            page.keyboard.press("Tab")
            stop = page.evaluate(
                """() => {
                    const el = document.activeElement;
                    if (el.closest('main')) return 'main';
                    if (el.closest('.language-switcher')) return 'language:' + el.value;
                    if (el.closest('.site-nav')) return 'nav:' + el.getAttribute('href');
                    return el.tagName.toLowerCase() + ':' + (el.textContent || '').trim();
                }"""
            )
            if stop == "main":
                break
            stops.append(stop)
        languages = [stop for stop in stops if stop.startswith("language:")]
        assert languages == [f"language:{code}" for code in LANGUAGES], stops
        menu = page.eval_on_selector_all(
            ".site-nav a", "links => links.map(a => 'nav:' + a.getAttribute('href'))"
        )
        assert {"nav:/", "nav:/directory/", "nav:/team/"} <= set(menu), menu
        nav = [stop for stop in stops if stop.startswith("nav:")]
        assert nav == menu, stops
        assert stops.index(languages[-1]) < stops.index(nav[0]), stops

        # Switching language with the keyboard alone.
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.value") == "sv":
                break
        assert page.evaluate("document.activeElement.textContent.trim()") == "Svenska"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.evaluate("document.documentElement.lang") == "sv"
        assert page.url == f"{live_server.url}/"
        visitor.check("[sv] / after switching language", language="sv")
    finally:
        visitor.close()
    problems.assert_none()


def test_library_search_updates_in_place_and_stays_accessible(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language="nb")
    page = visitor.page
    try:
        visitor.visit("/directory/libraries/")
        with page.expect_response(lambda r: "/directory/libraries/?" in r.url):
            page.fill("#id_q", "Sarp")
        page.wait_for_function(
            "!document.querySelector('#library-results').textContent.includes('Fredrikstad')"
        )
        results = page.locator("#library-results").inner_text()
        assert "Sarpsborg bibliotek" in results
        assert "q=Sarp" in page.url
        visitor.check("[nb] /directory/libraries/ after an htmx search", language="nb")
    finally:
        visitor.close()
    problems.assert_none()


def test_mobile_layout_has_no_horizontal_scroll(
    browser: Any, axe_source: str, live_server: Any, site: Any
) -> None:
    problems = Problems()
    phone = Browsing(browser, live_server.url, axe_source, problems, language="nb", width=390)
    try:
        for name, path in [
            ("home", "/"),
            ("library-list", "/directory/libraries/"),
            ("library", f"/directory/libraries/{site.library.pk}/"),
        ]:
            phone.visit(path)
            overflow = phone.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                problems.add(f"[390px] {path}", f"the page scrolls sideways by {overflow}px")
            phone.check(f"[390px] {path}", language="nb", screenshot=f"mobile-{name}")
    finally:
        phone.close()
    problems.assert_none()
