"""The mobile library's pages in a real browser, in all four languages: axe-core (WCAG 2.1 A
and AA), the CSP, one <h1>; the timetable is readable without JavaScript; the map appears (with
Leaflet) only where a tile server is set; the staff visit form shows its preview by keyboard.
Uses the helpers of the core browser tests."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.mobile import selectors, services
from bokbro.mobile.models import ExtraVisit, Follower, SchoolHoliday, StopKind, Term
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture
def mobile_site(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 12, 1))
    bus = make_vehicle(world)
    route = make_route(world, bus)
    square = make_stop(world, "Torvet")
    school = make_stop(world, "Gressvik skole", StopKind.SCHOOL, n=1)
    visit = make_visit(world, route, square, starts_on=date(2026, 12, 1), ends_on=None)
    make_visit(
        world,
        route,
        school,
        arrival=time(12, 0),
        departure=time(12, 45),
        rule="FREQ=MONTHLY;BYDAY=1TU,3TU",
        starts_on=date(2026, 12, 1),
        ends_on=None,
    )
    SchoolHoliday.objects.create(
        agency=world.agency,
        name="Juleferie",
        starts_on=date(2026, 12, 21),
        ends_on=date(2027, 1, 1),
    )
    services.visit_cancel(
        actor=world.consultant,
        agency=world.agency,
        visit=visit,
        day=date(2026, 12, 15),
        reason="Bussen er på verksted",
    )
    world.bus, world.route, world.square, world.visit = bus, route, square, visit
    services.extra_save(
        actor=world.consultant,
        agency=world.agency,
        extra=ExtraVisit(
            route=route,
            stop=square,
            date=date(2026, 12, 3),
            arrival=time(16, 0),
            departure=time(16, 30),
            reason="Julemarked",
        ),
    )
    world.term = services.term_save(
        actor=world.consultant,
        agency=world.agency,
        term=Term(name="Våren 2027", starts_on=date(2027, 1, 4), ends_on=date(2027, 6, 18)),
    )
    world.follower = Follower.objects.create(
        agency=world.agency, stop=square, email="leser@example.org"
    )
    return world


def check_pages(browsing: Browsing, language: str, who: str, pages: list[str]) -> None:
    for path in pages:
        browsing.visit(path)
        name = "-".join("id" if part.isdigit() else part for part in path.split("/") if part)
        browsing.check(
            f"[{language}] {who} {path}",
            language=language,
            screenshot=f"mobile-{language}-{who}-{name}" if language in ("nb", "sv") else None,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_mobile_library_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, mobile_site: Any, language: str
) -> None:
    problems = Problems()
    site = mobile_site
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        check_pages(
            visitor,
            language,
            "visitor",
            [
                "/mobile-library/",
                f"/mobile-library/municipalities/{site.municipality.pk}/",
                f"/mobile-library/stops/{site.square.pk}/",
                f"/mobile-library/routes/{site.route.pk}/",
                f"/mobile-library/vehicles/{site.bus.pk}/",
                f"/mobile-library/stops/{site.square.pk}/follow/",
                f"/mobile-library/stops/{site.square.pk}/follow/sent/",
                f"/mobile-library/follow/{site.follower.token}/",
                f"/mobile-library/follow/{site.follower.token}/stop/",
                f"/mobile-library/stops/{site.square.pk}/follow/stopped/",
            ],
        )
    finally:
        visitor.close()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.consultant),
    )
    try:
        check_pages(
            kari,
            language,
            "consultant",
            [
                "/mobile-library/staff/",
                "/mobile-library/staff/stops/new/",
                f"/mobile-library/staff/routes/{site.route.pk}/",
                f"/mobile-library/staff/routes/{site.route.pk}/extra/new/",
                f"/mobile-library/staff/visits/{site.visit.pk}/",
                "/mobile-library/staff/holidays/",
                "/mobile-library/staff/terms/",
                f"/mobile-library/staff/terms/{site.term.pk}/copy/",
                "/mobile-library/staff/import/",
            ],
        )
        # The preview by keyboard: focus the preview button and press Enter.
        page = kari.page
        kari.visit(f"/mobile-library/staff/routes/{site.route.pk}/visits/new/")
        page.select_option("#id_stop", str(site.square.pk))
        page.fill("#id_arrival", "14:00")
        page.fill("#id_departure", "14:30")
        page.fill("#id_starts_on", "2026-12-03")
        page.fill("#id_interval", "2")
        page.focus("button[name=preview]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if page.locator("#preview li").count() != 20:
            problems.add(f"[{language}] visit form", "the preview does not show 20 dates")
        kari.check(
            f"[{language}] consultant visit preview",
            language=language,
            screenshot=f"mobile-{language}-consultant-preview" if language == "nb" else None,
        )
    finally:
        kari.close()
    problems.assert_none()


def test_the_timetable_works_without_javascript_and_the_map_only_with_tiles(
    browser: Any, live_server: Any, mobile_site: Any, settings: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/mobile-library/municipalities/{mobile_site.municipality.pk}/")
        text = page.locator("main").inner_text()
        assert "Annenhver tirsdag, 10:50–11:05" in text
        assert "Bussen er på verksted" in text
        assert page.locator("[data-mobile-map]").count() == 0
    finally:
        context.close()
    settings.MOBILE_MAP_TILES = f"{live_server.url}/static/no-tiles/{{z}}/{{x}}/{{y}}.png"
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(f"/mobile-library/municipalities/{mobile_site.municipality.pk}/")
        page.wait_for_selector(".leaflet-marker-icon", timeout=10_000)
        assert page.locator(".leaflet-marker-icon").count() == 2
    finally:
        context.close()
