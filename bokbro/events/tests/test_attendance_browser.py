"""Marking attendance in a real browser, on a phone-sized screen and on a desktop: axe-core
(WCAG 2.1 A and AA), the CSP, no sideways scrolling, and the toggle used by keyboard updates
its row in place (htmx) and keeps the focus. Uses the helpers of the core browser tests."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.events.models import Attendance
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

PHONE = 390
DESKTOP = 1280


@pytest.fixture
def attendance_site(world: Any) -> Any:
    """A three-session course with three confirmed participants and one waiting."""
    event = make_event(
        world.agency,
        actor=world.consultant,
        sessions=3,
        capacity=3,
        certificate_min_sessions=2,
        title="Bokprat for barn – høstens kursrekke med lange navn",
    )
    people = [
        ("Aisha Bibliotekar", "aisha@fredrikstad.example", world.library),
        ("Marte Sjef", "marte@sarpsborg.example", world.other_library),
        ("Kristoffer Alexander Gundersen-Bjørnstad", "kristoffer@example.org", None),
        ("Vera Venter", "vera@example.org", None),
    ]
    registrations = [
        registration_create(
            event=event, name=name, email=email, library=library, organisation="Gressvik skole"
        )
        for name, email, library in people
    ]
    world.event = event
    world.registrations = registrations
    return world


@pytest.mark.parametrize(("width", "language"), [(PHONE, "nb"), (DESKTOP, "en")])
def test_the_attendance_page_passes_axe_and_toggles_by_keyboard(
    browser: Any,
    axe_source: str,
    live_server: Any,
    attendance_site: Any,
    width: int,
    language: str,
) -> None:
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(attendance_site.consultant),
        width=width,
    )
    event = attendance_site.event
    aisha = attendance_site.registrations[0]
    session = event.sessions.first()
    path = f"/staff/events/{event.pk}/attendance/{session.pk}/"
    where = f"[{language}, {width}px] {path}"
    try:
        kari.visit(path)
        page = kari.page
        kari.check(where, language=language, screenshot=f"{language}-{width}-staff-attendance")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.add(where, f"the page scrolls sideways by {overflow}px")
        button = page.locator(f"#attendance-{aisha.pk}-present")
        height = button.bounding_box()["height"] if button.count() else 0
        if height < 44:
            problems.add(where, f"the toggle is {height}px high; a touch target needs 44px")

        # Keyboard only: Tab to Aisha's "present" toggle, Enter.
        target = f"attendance-{aisha.pk}-present"
        for _ in range(100):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == target:
                break
        else:
            problems.add(where, "Tab never reached the first participant's toggle")
        url_before = page.url
        page.evaluate("window.__notReloaded = true")
        page.keyboard.press("Enter")
        row = page.locator(f"#attendance-{aisha.pk}.attendance-row--present")
        row.wait_for(timeout=5000)
        if not page.evaluate("window.__notReloaded === true") or page.url != url_before:
            problems.add(where, "the page reloaded; the row should be updated in place")
        if page.get_attribute(f"#{target}", "aria-pressed") != "true":
            problems.add(where, "the toggle does not say it is pressed after Enter")
        if page.evaluate("document.activeElement.id") != target:
            problems.add(where, "the focus left the toggle after the row was updated")
        count = page.locator("#attendance-count").inner_text()
        if "1" not in count:
            problems.add(where, f"the count did not update: {count!r}")
        if not Attendance.objects.filter(registration=aisha, session=session, present=True):
            problems.add(where, "the mark was not saved")
        kari.check(f"{where} (after marking)", language=language)

        # And back: Tab to "absent", Space this time.
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        page.locator(f"#attendance-{aisha.pk}.attendance-row--absent").wait_for(timeout=5000)
        if Attendance.objects.get(registration=aisha, session=session).present:
            problems.add(where, "marking absent by keyboard was not saved")
    finally:
        kari.close()
    problems.assert_none()
