"""The staff pages of events in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, one <h1>,
in bokmål and English. Uses the helpers of the core browser tests."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.events.models import EventStatus, QuestionKind, Session, Topic
from bokbro.events.services import seats
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.browser

# The core browser tests' fixtures: Debian's Chromium (skipped when it is missing) and axe-core.
browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "en"]


@pytest.fixture
def events_site(world: Any) -> Any:
    """An event with sessions, questions, topics and participants in every state."""
    Topic.objects.create(agency=world.agency, name="Leselyst")
    event = make_event(
        world.agency,
        actor=world.consultant,
        sessions=3,
        capacity=2,
        quota_per_library=2,
        manager_approval=False,
        description="Tre dager om **bokprat**.",
    )
    event.topics.set(Topic.objects.filter(agency=world.agency))
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT)
    event.questions.create(label="Overnatting", kind=QuestionKind.YES_NO, required=True)
    answers = {"Allergier": "Nøtter", "Overnatting": "yes"}
    # The last session is a workshop with one seat: Aisha has it, Marte waits for it.
    workshop = event.sessions.order_by("starts_at").last()
    Session.objects.filter(pk=workshop.pk).update(capacity=1, title="Verksted")
    workshop.refresh_from_db()
    registration_create(
        event=event,
        name="Aisha Bibliotekar",
        email="aisha@fredrikstad.example",
        library=world.library,
        answers=answers,
        sessions=[workshop],
    )
    registration_create(
        event=event,
        name="Marte Sjef",
        email="marte@sarpsborg.example",
        library=world.other_library,
        answers=answers,
        sessions=[workshop],
    )
    world.workshop = workshop
    registration_create(
        event=event, name="Vera Venter", email="vera@example.org", organisation="Gressvik skole"
    )
    make_event(world.agency, title="Utkast til nettverkssamling", status=EventStatus.DRAFT)
    world.event = event
    pooled = make_event(world.agency, title="Regional fagdag", capacity=60)
    world.pool = seats.seat_pool_create(
        actor=world.consultant,
        agency=world.agency,
        event=pooled,
        data=seats.PoolData(
            name="Fredrikstad", capacity=30, municipalities=[world.municipality], libraries=[]
        ),
    )
    registration_create(
        event=pooled, name="Aisha Bibliotekar", email="aisha@example.org", library=world.library
    )
    world.pooled = pooled
    return world


def pages(site: Any) -> list[tuple[str, str]]:
    pk = site.event.pk
    return [
        ("staff-events", "/staff/events/"),
        ("staff-events-drafts", "/staff/events/?when=drafts"),
        ("staff-event-new", "/staff/events/new/"),
        ("staff-event", f"/staff/events/{pk}/"),
        ("staff-event-edit", f"/staff/events/{pk}/edit/"),
        ("staff-participants", f"/staff/events/{pk}/participants/"),
        ("staff-participants-filtered", f"/staff/events/{pk}/participants/?status=waiting"),
        ("staff-email", f"/staff/events/{pk}/email/"),
        ("staff-event-cancel", f"/staff/events/{pk}/cancel/"),
        ("staff-seats", f"/staff/events/{site.pooled.pk}/seats/"),
        ("staff-seat-pool-edit", f"/staff/events/{site.pooled.pk}/seats/{site.pool.pk}/"),
        ("public-event-with-groups", f"/events/{site.pooled.pk}/"),
        ("staff-session-places", f"/staff/events/{pk}/sessions/{site.workshop.pk}/"),
        ("public-event-with-workshop", f"/events/{pk}/"),
        ("public-register-workshop", f"/events/{pk}/register/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_event_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, events_site: Any, language: str
) -> None:
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(events_site.consultant),
    )
    try:
        for name, path in pages(events_site):
            kari.visit(path)
            kari.check(f"[{language}] {path}", language=language, screenshot=f"{language}-{name}")

        # The new-event form sent with mistakes: the summary has focus, the fields say why.
        path = "/staff/events/new/"
        kari.visit(path)
        page = kari.page
        page.fill("#id_title", "")
        page.fill("#id_sessions-0-date", "2031-09-01")
        page.fill("#id_sessions-0-starts", "15:00")
        page.fill("#id_sessions-0-ends", "10:00")
        page.fill("#id_questions-0-label", "Hvilken buss?")
        page.select_option("#id_questions-0-kind", "choice")
        with page.expect_navigation():
            page.locator("main button[type=submit]").first.click()
        where = f"[{language}] {path} (invalid)"
        if not page.locator(".ds-error-summary").is_visible():
            problems.add(where, "no error summary after an invalid submission")
        elif not page.evaluate("document.activeElement.classList.contains('ds-error-summary')"):
            problems.add(where, "the error summary does not have focus")
        if page.locator("#id_sessions-0-ends[aria-invalid=true]").count() != 1:
            problems.add(where, "the session's end time is not marked aria-invalid")
        if page.input_value("#id_questions-0-label") != "Hvilken buss?":
            problems.add(where, "the question typed in is lost")
        kari.check(where, language=language, screenshot=f"{language}-staff-event-new-invalid")

        # More session rows without JavaScript doing anything but submitting the form.
        kari.visit(path)
        rows_before = page.locator("input[type=date][name^=sessions-]").count()
        page.fill("#id_title", "Bokprat for barn")
        with page.expect_navigation():
            page.locator("button[name=more_sessions]").click()
        rows_after = page.locator("input[type=date][name^=sessions-]").count()
        if rows_after != rows_before + 3:
            problems.add(path, f"'more session rows' gave {rows_after} rows after {rows_before}")
        if page.input_value("#id_title") != "Bokprat for barn":
            problems.add(path, "'more session rows' lost the title")
        kari.check(f"[{language}] {path} (more rows)", language=language)

        # Removing the workshop people chose: nothing is saved; the form asks, beside the row.
        path = f"/staff/events/{events_site.event.pk}/edit/"
        kari.visit(path)
        page.check("#id_sessions-2-DELETE")
        with page.expect_navigation():
            page.locator("main button[type=submit]").first.click()
        where = f"[{language}] {path} (removing a chosen session)"
        if not page.evaluate("document.activeElement.classList.contains('ds-error-summary')"):
            problems.add(where, "the error summary does not have focus")
        if page.locator("#id_sessions-2-confirm_removal").count() != 1:
            problems.add(where, "no box to confirm the removal beside the session")
        if not Session.objects.filter(pk=events_site.workshop.pk).exists():
            problems.add(where, "the session was removed without the box ticked")
        kari.check(where, language=language, screenshot=f"{language}-staff-event-remove-chosen")
    finally:
        kari.close()
    problems.assert_none()
