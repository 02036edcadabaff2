"""Material and economy pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, one <h1>,
in bokmål and English. Uses the helpers of the core browser tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.events.services.economy import BudgetLineData, budget_line_create
from bokbro.events.services.material import material_add
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "en"]


@pytest.fixture
def economy_site(world: Any, settings: Any, tmp_path: Any) -> Any:
    """An event with a fee rule, shared material, budget lines and a confirmed participant."""
    settings.MEDIA_ROOT = tmp_path
    event = make_event(
        world.agency,
        actor=world.consultant,
        sessions=3,
        binding_text="Påmeldingen er bindende.",
        no_show_fee=Decimal("500"),
        late_cancellation_fee=Decimal("250"),
    )
    world.registration = registration_create(
        event=event,
        name="Aisha Bibliotekar",
        email=world.staff.email,
        library=world.library,
        user=world.staff,
        accepted_binding_terms=True,
    )
    material_add(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        title="Lysark dag 1",
        kind="file",
        file=ContentFile(b"%PDF-1.4 lysark", name="lysark.pdf"),
        description="Fra foredraget om bokprat.",
        tell_participants=False,
    )
    material_add(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        title="Opptak av dag 1",
        kind="link",
        url="https://example.org/opptak",
        session=event.sessions.first(),
        tell_participants=False,
    )
    for kind, category, amount, payer in [
        ("cost", "speaker_fee", "12000", "agency"),
        ("cost", "travel", "1500", "municipality"),
        ("income", "participant_fees", "3000", "participant"),
    ]:
        budget_line_create(
            actor=world.consultant,
            agency=world.agency,
            event=event,
            data=BudgetLineData(kind=kind, category=category, amount=Decimal(amount), payer=payer),
        )
    world.event = event
    return world


@pytest.mark.parametrize("language", LANGUAGES)
def test_material_and_economy_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, economy_site: Any, language: str
) -> None:
    site = economy_site
    pk, year = site.event.pk, site.event.starts_at.year
    line = site.event.budget_lines.first()
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.consultant),
    )
    aisha = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.staff),
    )
    try:
        for name, path in [
            ("staff-event-with-links", f"/staff/events/{pk}/"),
            ("staff-material", f"/staff/events/{pk}/material/"),
            ("staff-economy", f"/staff/events/{pk}/economy/"),
            ("staff-economy-line", f"/staff/events/{pk}/economy/{line.pk}/edit/"),
            ("staff-economy-year", f"/staff/events/economy/{year}/"),
        ]:
            kari.visit(path)
            kari.check(f"[{language}] {path}", language=language, screenshot=f"{language}-{name}")

        check_economy_form_errors(kari, problems, pk, language)
        check_material_form_errors(kari, problems, pk, language)

        # The participant's side: the personal link, the event page, the registration form.
        for name, path in [
            ("participant-registration", f"/events/registration/{site.registration.token}/"),
            ("participant-event", f"/events/{pk}/"),
            ("participant-register", f"/events/{pk}/register/"),
        ]:
            aisha.visit(path)
            if "Lysark dag 1" not in aisha.page.content() and "register" not in path:
                problems.add(path, "the material is not shown to the confirmed participant")
            aisha.check(
                f"[{language}] {path} (participant)",
                language=language,
                screenshot=f"{language}-{name}",
            )
    finally:
        kari.close()
        aisha.close()
    problems.assert_none()


def check_economy_form_errors(kari: Any, problems: Problems, pk: int, language: str) -> None:
    """The economy form sent with mistakes: the summary has focus, the values stay."""
    path = f"/staff/events/{pk}/economy/"
    kari.visit(path)
    page = kari.page
    page.fill("#id_description", "Foredragsholder Hansen")
    page.fill("#id_amount", "-100")
    with page.expect_navigation():
        page.locator("main form:not([data-confirm]) button[type=submit]").last.click()
    where = f"[{language}] {path} (invalid)"
    if not page.locator(".ds-error-summary").is_visible():
        problems.add(where, "no error summary after an invalid submission")
    if page.locator("#id_amount[aria-invalid=true]").count() != 1:
        problems.add(where, "the amount is not marked aria-invalid")
    if page.input_value("#id_description") != "Foredragsholder Hansen":
        problems.add(where, "the description typed in is lost")
    kari.check(where, language=language)


def check_material_form_errors(kari: Any, problems: Problems, pk: int, language: str) -> None:
    """The material form sent without a file: the title typed in stays."""
    path = f"/staff/events/{pk}/material/"
    kari.visit(path)
    page = kari.page
    page.fill("#id_title", "Lysark dag 2")
    with page.expect_navigation():
        page.locator("main form:not([data-confirm]) button[type=submit]").last.click()
    where = f"[{language}] {path} (invalid)"
    if page.input_value("#id_title") != "Lysark dag 2":
        problems.add(where, "the title typed in is lost")
    kari.check(where, language=language)
