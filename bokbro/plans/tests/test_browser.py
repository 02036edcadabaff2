"""The plan pages, the register and the dialogue form in a real browser: axe-core (WCAG 2.1 A
and AA), the CSP, one <h1>, in bokmål and Swedish; and the tree built with the keyboard alone.
Uses the helpers of the core browser tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for
from bokbro.plans.models import Goal
from bokbro.plans.services import dialogues, municipal, parts
from bokbro.plans.tests.conftest import make_plan

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "sv"]
THIS_YEAR = date.today().year


@pytest.fixture
def plans_site(world: Any) -> Any:
    plan = make_plan(world, starts_year=THIS_YEAR - 1, ends_year=THIS_YEAR + 2)
    goal = Goal.objects.get(plan=plan)
    indicator = goal.indicators.get()
    parts.indicator_value_set(
        actor=world.consultant,
        agency=world.agency,
        indicator=indicator,
        year=THIS_YEAR,
        value=Decimal(7),
    )
    municipal.municipal_plan_create(
        actor=world.consultant,
        agency=world.agency,
        fields=municipal.MunicipalPlanFields(
            municipality=world.municipality,
            title="Bibliotekplan for Fredrikstad",
            starts_year=THIS_YEAR - 3,
            ends_year=THIS_YEAR + 1,
            covers_school_libraries=True,
        ),
    )
    template = dialogues.dialogue_template_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueTemplateFields(
            title="Dialogmøte", questions="Hvordan går det?\nHva trenger dere?"
        ),
    )
    dialogue = dialogues.dialogue_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueFields(
            municipality=world.municipality,
            year=THIS_YEAR,
            date=date.today(),
            template=template,
            summary="Ny plan neste år.",
            internal_notes="Internt: stram økonomi.",
        ),
        answers=["Bra", "Kurs"],
        goal_statuses=[(goal, "under_way", "")],
    )
    world.plan, world.goal, world.dialogue, world.template = plan, goal, dialogue, template
    return world


def staff_pages(site: Any) -> list[tuple[str, str]]:
    p, g, d = site.plan.pk, site.goal.pk, site.dialogue.pk
    return [
        ("plans-staff", "/plans/staff/"),
        ("plans-plan", f"/plans/staff/{p}/"),
        ("plans-plan-edit", f"/plans/staff/{p}/edit/"),
        ("plans-goal", f"/plans/staff/{p}/goal/{g}/"),
        ("plans-actions", f"/plans/staff/{p}/action-plan/"),
        ("plans-measure-new", f"/plans/staff/{p}/measures/new/?goal={g}"),
        ("plans-register", "/plans/municipal/"),
        ("plans-register-new", "/plans/municipal/new/"),
        ("plans-dialogues", "/plans/dialogues/"),
        (
            "plans-dialogue-new",
            f"/plans/dialogues/new/?municipality={site.other_library.municipality_id}",
        ),
        ("plans-dialogue", f"/plans/dialogues/{d}/"),
        ("plans-dialogue-edit", f"/plans/dialogues/{d}/edit/"),
        ("plans-templates", "/plans/dialogues/templates/"),
        ("plans-library-profile", f"/directory/libraries/{site.library.pk}/profile/"),
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, plans_site: Any, language: str
) -> None:
    problems = Problems()
    visitor = Browsing(browser, live_server.url, axe_source, problems, language=language)
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(plans_site.consultant),
    )
    try:
        for name, path in [
            ("plans-public", "/plans/"),
            ("plans-public-detail", f"/plans/{plans_site.plan.pk}/"),
        ]:
            visitor.visit(path)
            visitor.check(
                f"[{language}] {path}", language=language, screenshot=f"{language}-{name}"
            )
        for name, path in staff_pages(plans_site):
            kari.visit(path)
            kari.check(f"[{language}] {path}", language=language, screenshot=f"{language}-{name}")
        # The dialogue form sent twice for the same municipality and year: a form error.
        path = "/plans/dialogues/new/"
        kari.visit(f"{path}?municipality={plans_site.municipality.pk}")
        page = kari.page
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        where = f"[{language}] {path} (duplicate)"
        if not page.locator(".ds-error-summary").is_visible():
            problems.add(where, "no error summary for a second dialogue in the same year")
        kari.check(where, language=language, screenshot=f"{language}-plans-dialogue-duplicate")
    finally:
        visitor.close()
        kari.close()
    problems.assert_none()


def test_a_goal_is_added_with_the_keyboard_alone(
    browser: Any, axe_source: str, live_server: Any, plans_site: Any
) -> None:
    problems = Problems()
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language="nb",
        session_key=session_for(plans_site.consultant),
    )
    try:
        area = plans_site.plan.focus_areas.get()
        kari.visit(f"/plans/staff/{plans_site.plan.pk}/")
        page = kari.page
        summary = page.locator(f"form[action$='/goals/new/'] input[name='g{area.pk}-title']")
        # Tab to the "Add a goal" disclosure, open it with Enter, type, submit with Enter.
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate(
                "document.activeElement.tagName === 'SUMMARY' && "
                "document.activeElement.parentElement.querySelector("
                f"\"input[name='g{area.pk}-title']\") !== null"
            ):
                break
        else:
            problems.add("keyboard", "the “Add a goal” disclosure was never focused")
        page.keyboard.press("Enter")
        if not summary.is_visible():
            problems.add("keyboard", "Enter did not open the “Add a goal” form")
        page.keyboard.press("Tab")  # the number
        page.keyboard.type("1.2")
        page.keyboard.press("Tab")  # the title
        page.keyboard.type("Skolebibliotek i alle kommuner")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        kari.check("keyboard: goal added", language="nb")
        if "1.2 Skolebibliotek i alle kommuner" not in page.content():
            problems.add("keyboard", "the new goal is not on the plan page")
    finally:
        kari.close()
    problems.assert_none()
    assert Goal.objects.filter(title="Skolebibliotek i alle kommuner", code="1.2").exists()
