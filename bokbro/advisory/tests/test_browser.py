"""The advisory pages and the library profile in a real browser: axe-core (WCAG 2.1 A and AA),
the CSP, one <h1>, in bokmål and Swedish. Uses the helpers of the core browser tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bokbro.advisory import services
from bokbro.advisory.tests.conftest import make_consultation
from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "sv"]


@pytest.fixture
def advisory_site(world: Any) -> Any:
    topic = services.topic_create(actor=world.consultant, agency=world.agency, name="Meråpent")
    consultation = make_consultation(
        world,
        topics=[topic],
        municipalities=[world.municipality],
        people=[world.manager_person],
        internal_notes="Internt: budsjettet er kuttet.",
    )
    follow_up = services.follow_up_create(
        actor=world.consultant,
        agency=world.agency,
        consultation=consultation,
        what="Sende avtalemal",
        due_date=date.today() - timedelta(days=1),
        owner=world.consultant,
    )
    start = date.today() + timedelta(days=7)
    tour = services.tour_create(
        actor=world.consultant,
        agency=world.agency,
        title="Ti bibliotek på to uker",
        consultant=world.consultant,
        starts_on=start,
        ends_on=start + timedelta(days=13),
    )
    visit = services.visit_add(
        actor=world.consultant,
        agency=world.agency,
        tour=tour,
        library=world.library,
        date=start,
        purpose="Meråpent",
    )
    course = make_event(world.agency, title="Bokprat for barn")
    registration_create(
        event=course, name="Aisha Bibliotekar", email=world.staff.email, library=world.library
    )
    world.consultation, world.tour, world.visit = consultation, tour, visit
    world.follow_up = follow_up
    return world


def staff_pages(site: Any) -> list[tuple[str, str]]:
    c, t, v = site.consultation.pk, site.tour.pk, site.visit.pk
    return [
        ("advisory-list", "/advisory/"),
        ("advisory-list-filtered", f"/advisory/?library={site.library.pk}&q=mer"),
        ("advisory-new", "/advisory/new/"),
        ("advisory-consultation", f"/advisory/{c}/"),
        ("advisory-edit", f"/advisory/{c}/edit/"),
        ("advisory-follow-ups", "/advisory/follow-ups/"),
        ("advisory-follow-up-edit", f"/advisory/follow-ups/{site.follow_up.pk}/edit/"),
        ("advisory-topics", "/advisory/topics/"),
        ("advisory-tours", "/advisory/tours/"),
        ("advisory-tour-new", "/advisory/tours/new/"),
        ("advisory-tour", f"/advisory/tours/{t}/"),
        ("advisory-visit-done", f"/advisory/tours/{t}/visits/{v}/done/"),
        ("library-profile-staff", f"/directory/libraries/{site.library.pk}/profile/"),
        (
            "municipality-profile",
            f"/directory/municipalities/no/{site.municipality.code}/profile/",
        ),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_advisory_pages_and_the_profile_pass_axe(
    browser: Any, axe_source: str, live_server: Any, advisory_site: Any, language: str
) -> None:
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(advisory_site.consultant),
    )
    ola = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(advisory_site.manager),
    )
    try:
        for name, path in staff_pages(advisory_site):
            kari.visit(path)
            kari.check(f"[{language}] {path}", language=language, screenshot=f"{language}-{name}")

        # The form sent with mistakes: the summary has focus, the fields say why.
        path = "/advisory/new/"
        kari.visit(path)
        page = kari.page
        page.fill("#id_hours", "-1")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        where = f"[{language}] {path} (invalid)"
        if not page.locator(".ds-error-summary").is_visible():
            problems.add(where, "no error summary after an invalid submission")
        kari.check(where, language=language, screenshot=f"{language}-advisory-new-invalid")

        # The manager's view of the profile: the summary, never the internal notes.
        path = f"/directory/libraries/{advisory_site.library.pk}/profile/"
        ola.visit(path)
        body = ola.page.content()
        if "budsjettet er kuttet" in body:
            problems.add(path, "the manager sees the internal notes")
        if "Snakket om meråpent bibliotek." not in body:
            problems.add(path, "the manager does not see the summary")
        ola.check(
            f"[{language}] {path} (manager)",
            language=language,
            screenshot=f"{language}-library-profile-manager",
        )
    finally:
        kari.close()
        ola.close()
    problems.assert_none()
