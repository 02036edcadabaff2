"""The project pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, one <h1>, in
bokmål and Swedish. Uses the helpers of the core browser tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.projects.services.documents import document_add
from bokbro.projects.services.funding import (
    FunderFields,
    FundingLineFields,
    StatusReportFields,
    funder_create,
    funding_line_create,
    report_create,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    measure_create,
    partner_add,
)
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.browser

# The core browser tests' fixtures: Debian's Chromium (skipped when it is missing) and axe-core.
browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "sv"]


@pytest.fixture
def projects_site(world: Any, settings: Any, tmp_path: Any) -> Any:
    """A published project with every part filled in, and a completed one."""
    from django.core.files.base import ContentFile

    from bokbro.projects.tests.access import PDF

    settings.MEDIA_ROOT = tmp_path
    common = {"actor": world.consultant, "agency": world.agency}
    project = make_project(
        world,
        title="Leselyst i Østfold",
        is_published=True,
        public_summary="Vi jobber med **leselyst** i hele fylket.",
        goals="Flere barn leser\nBibliotekene deler metoder",
        description="Prosjektet har tre deler:\n\n- kartlegging\n- kurs\n- hospitering",
        public_funding=True,
    )
    partner_add(project=project, fields=PartnerFields(agency=world.other_agency), **common)
    partner_add(
        project=project,
        fields=PartnerFields(
            library=world.library,
            role="model_library",
            results="Dobbelt så mange utlån til barn.",
            transfer_value="Metoden kan brukes av alle bibliotek.",
        ),
        **common,
    )
    partner_add(project=project, fields=PartnerFields(municipality=world.municipality), **common)
    measure_create(
        project=project,
        fields=MeasureFields(title="Kartlegging", status="done", owner="Kari Konsulent"),
        **common,
    )
    nb = funder_create(
        fields=FunderFields(
            name="Nasjonalbiblioteket", min_own_share=Decimal("40"), min_applied=Decimal("300000")
        ),
        **common,
    )
    own = funder_create(fields=FunderFields(name="Egeninnsats", is_own=True), **common)
    funding_line_create(
        project=project,
        fields=FundingLineFields(
            funder=nb, year=2026, applied=Decimal(300000), granted=Decimal(300000)
        ),
        **common,
    )
    funding_line_create(
        project=project,
        fields=FundingLineFields(funder=own, year=2026, applied=Decimal(100000)),
        **common,
    )
    report_create(
        project=project,
        fields=StatusReportFields(year=2026, funder=nb, due_on=date(2027, 2, 1)),
        **common,
    )
    document_add(
        project=project,
        title="Søknad",
        kind="application",
        file=ContentFile(PDF, name="soknad.pdf"),
        **common,
    )
    make_project(world, title="Bokbussen", status="completed", is_published=True)
    world.project = project
    return world


def check_pages(browsing: Browsing, language: str, who: str, pages: list[str]) -> None:
    for path in pages:
        browsing.visit(path)
        name = "-".join("id" if part.isdigit() else part for part in path.split("/") if part)
        browsing.check(
            f"[{language}] {who} {path}",
            language=language,
            screenshot=f"{language}-{who}-{name}" if language == "nb" else None,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_project_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, projects_site: Any, language: str
) -> None:
    problems = Problems()
    site = projects_site
    pk = site.project.pk
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        check_pages(
            visitor,
            language,
            "visitor",
            ["/projects/", "/projects/completed/", f"/projects/{pk}/"],
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
        line = site.project.funding.first()
        check_pages(
            kari,
            language,
            "consultant",
            [
                "/projects/staff/",
                "/projects/staff/new/",
                f"/projects/staff/{pk}/",
                f"/projects/staff/{pk}/edit/",
                f"/projects/staff/{pk}/partners/new/",
                f"/projects/staff/{pk}/measures/new/",
                f"/projects/staff/{pk}/funding/{line.pk}/",
                f"/projects/staff/{pk}/reports/new/",
                f"/projects/staff/{pk}/documents/new/",
                "/projects/staff/funders/",
                f"/directory/libraries/{site.library.pk}/profile/",
            ],
        )
        page = kari.page
        kari.visit(f"/projects/staff/{pk}/")
        if not page.locator("#funding-warnings").is_visible():
            problems.add(f"[{language}] /projects/staff/{pk}/", "no warning of the broken rule")

        # The project form sent with an impossible period: the summary has focus.
        path = "/projects/staff/new/"
        kari.visit(path)
        page.fill("#id_title", "Nytt prosjekt")
        page.fill("#id_starts_on", "2026-06-01")
        page.fill("#id_ends_on", "2026-01-01")
        with page.expect_navigation():
            page.locator("main button[type=submit]").first.click()
        where = f"[{language}] {path} (invalid)"
        if not page.locator(".ds-error-summary").is_visible():
            problems.add(where, "no error summary after an invalid submission")
        elif not page.evaluate("document.activeElement.classList.contains('ds-error-summary')"):
            problems.add(where, "the error summary does not have focus")
        if page.locator("#id_ends_on[aria-invalid=true]").count() != 1:
            problems.add(where, "the end date is not marked aria-invalid")
        kari.check(where, language=language, screenshot=f"{language}-projects-form-invalid")
    finally:
        kari.close()

    problems.assert_none()
