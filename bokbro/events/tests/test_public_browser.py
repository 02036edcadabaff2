"""A participant's way through events in a real browser: the calendar, the event page, the
registration form (with a mistake), the confirmation e-mail, and cancelling through the
personal link in it. axe-core (WCAG 2.1 A/AA) on every page, in every language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems
from bokbro.events.models import Registration, RegistrationStatus
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source


@pytest.fixture
def calendar_site(world: Any) -> Any:
    world.event = make_event(
        world.agency,
        title="Bokprat for barn",
        sessions=2,
        capacity=1,
        quota_per_library=2,
        description="To dager om **bokprat**. Ta med en bok du vil snakke om.",
        online_url="https://meet.example.org/bokprat",
    )
    world.event.questions.create(label="Allergier", kind="text")
    make_event(world.agency, title="Nettverkssamling for biblioteksjefer", kind="network_meeting")
    return world


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_calendar_and_event_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, calendar_site: Any, language: str
) -> None:
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    event = calendar_site.event
    start = event.starts_at
    try:
        for name, path in [
            ("calendar", "/events/"),
            ("calendar-filtered", "/events/?kind=course"),
            ("calendar-month", f"/events/month/{start.year}/{start.month}/"),
            ("calendar-archive", "/events/archive/"),
            ("event", event.get_absolute_url()),
            ("register", f"/events/{event.pk}/register/"),
        ]:
            visitor.visit(path)
            visitor.check(
                f"[{language}] {path}", language=language, screenshot=f"{language}-{name}"
            )
    finally:
        visitor.close()
    problems.assert_none()


def test_register_get_the_mail_and_cancel_through_the_personal_link(
    browser: Any, axe_source: str, live_server: Any, calendar_site: Any
) -> None:
    """Scenario 3 in nynorsk: register, read the mail, confirm the place from the link in it
    (the event asks for confirmation by e-mail, the default), cancel it; the next on the
    waiting list gets the seat."""
    problems = Problems()
    event = calendar_site.event
    aisha = Browsing(browser, live_server.url, axe_source, problems, language="nn")
    page = aisha.page
    try:
        # The form sent without a name: an error summary with focus, what was typed kept.
        aisha.visit(f"/events/{event.pk}/register/")
        page.fill("#id_email", "aisha@fredrikstad.example")
        page.select_option("#id_library", str(calendar_site.library.pk))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if not page.locator(".ds-error-summary").is_visible():
            problems.add("register (invalid)", "no error summary")
        if page.input_value("#id_email") != "aisha@fredrikstad.example":
            problems.add("register (invalid)", "the e-mail address typed in is lost")
        # The form comes back with HTTP 400 on purpose; Chromium logs that, and that is all.
        aisha.console[:] = [line for line in aisha.console if "status of 400" not in line]
        aisha.check("register (invalid)", language="nn", screenshot="nn-register-invalid")
        aisha.console.clear()

        page.fill("#id_name", "Aisha Rahman")
        page.fill(f"#id_question_{event.questions.get().pk}", "Nøtter")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        # Not the personal page: its link goes only to the address typed.
        if "/events/registration/" in page.url:
            problems.add("after registering", "the personal link is shown before confirming")
        aisha.check("check your e-mail", language="nn", screenshot="nn-register-sent")

        registration = Registration.objects.get(event=event, email="aisha@fredrikstad.example")
        assert registration.status == RegistrationStatus.HELD
        assert registration.answers == {"Allergier": "Nøtter"}
        assert registration.language == "nn"
        waiting = registration_create(event=event, name="Per Venter", email="per@example.org")

        # The mail: in nynorsk, with the calendar file and the personal link to confirm.
        message = next(m for m in mail.outbox if m.to == ["aisha@fredrikstad.example"])
        assert message.attachments and message.attachments[0][2] == "text/calendar"
        link = re.search(r"https?://\S+/events/registration/[\w-]+/", str(message.body))
        assert link, message.body
        path = "/events/registration/" + link.group(0).rstrip("/").rsplit("/", 1)[1] + "/"

        aisha.visit(path)
        aisha.check("registration page (held)", language="nn", screenshot="nn-registration-held")
        if "meet.example.org/bokprat" in page.content():
            problems.add(path, "the online link is shown before the place is confirmed")
        with page.expect_navigation():
            page.locator("form[action$='/confirm/'] button").click()
        aisha.check("registration page", language="nn", screenshot="nn-registration")
        if "meet.example.org/bokprat" not in page.content():
            problems.add(path, "a confirmed participant does not see the online link")
        page.on("dialog", lambda dialog: dialog.accept())  # "Cancel your registration?"
        with page.expect_navigation():
            page.locator("form[action$='/cancel/'] button").click()
        aisha.check(
            "registration page (cancelled)", language="nn", screenshot="nn-registration-cancelled"
        )
    finally:
        aisha.close()
    problems.assert_none()

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED


@pytest.mark.parametrize(
    ("language", "saved", "clash"),
    [
        ("nb", "Du har plass i «Lydbøker", "er samtidig"),
        ("en", "You have a seat in “Lydbøker", "are at the same time"),
    ],
)
def test_a_participant_changes_their_sessions_by_keyboard(
    browser: Any,
    axe_source: str,
    live_server: Any,
    world: Any,
    language: str,
    saved: str,
    clash: str,
) -> None:
    """From the personal page to the sessions page and back, by keyboard only: the page, its
    refusal of two workshops at the same time and the result are axe-clean."""
    from bokbro.events.tests.test_session_change import register, where, workshops

    event = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker", language=language)
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    page = visitor.page
    try:
        visitor.visit(aisha.get_absolute_url())
        page.locator("a[href$='/sessions/']").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        visitor.check(
            f"[{language}] sessions", language=language, screenshot=f"{language}-sessions"
        )
        # Untick the first workshop, tick the one at the same time next to it, and save.
        page.locator("#id_sessions_0").focus()
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        page.locator("main form button[type=submit]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        visitor.check(f"[{language}] sessions saved", language=language)
        if saved not in page.content():
            problems.add("sessions saved", f"the result does not say {saved!r}")
        # Both workshops at the same time: refused, with the reason beside the choice.
        page.locator("a[href$='/sessions/']").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.locator("#id_sessions_0").focus()
        page.keyboard.press("Space")
        page.locator("main form button[type=submit]").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # The form comes back with HTTP 400 on purpose; Chromium logs that, and that is all.
        visitor.console[:] = [line for line in visitor.console if "status of 400" not in line]
        visitor.check(
            f"[{language}] sessions refused",
            language=language,
            screenshot=f"{language}-sessions-refused",
        )
        if clash not in page.content():
            problems.add("sessions refused", f"the page does not say {clash!r}")
    finally:
        visitor.close()
    problems.assert_none()
    assert where(event, "aisha@example.org") == {"Lydbøker": "seat"}
