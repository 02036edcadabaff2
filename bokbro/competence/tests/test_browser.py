"""The competence pages in a real browser: answering on a phone (390 px) in all four languages,
by keyboard, with the conditional question appearing as the earlier answer is chosen, axe-core
(WCAG 2.1 A and AA), the CSP and one <h1>; the staff's results pages likewise."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.competence import services
from bokbro.competence.models import Plan, PlanArea
from bokbro.competence.tests.factories import make_survey, submit
from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture
def mapping(world: Any) -> Any:
    survey = make_survey(world, open_link=True)
    people = services.directory_people(agency=world.agency)
    services.invitations_create(
        actor=world.consultant, agency=world.agency, survey=survey, people=people
    )
    for level in ("1", "2", "3", "4", "5"):
        submit(survey, library=world.library, **{f"q{survey.q_likert.pk}": level})
    survey.invitation = survey.invitations.get(email=world.staff_person.email)
    plan = services.plan_save(
        actor=world.consultant,
        agency=world.agency,
        plan=Plan(title="Kompetanseplan", starts_year=2027, ends_year=2028, mapping=survey),
    )
    services.plan_area_save(
        actor=world.consultant,
        agency=world.agency,
        plan_area=PlanArea(plan=plan, area=survey.areas[0], priority=1),
    )
    survey.plan = plan
    return survey


@pytest.mark.parametrize("language", LANGUAGES)
def test_answering_on_a_phone_by_keyboard_in_every_language(
    browser: Any, axe_source: str, live_server: Any, mapping: Any, language: str
) -> None:
    problems = Problems()
    phone = Browsing(browser, live_server.url, axe_source, problems, language=language, width=390)
    survey = mapping
    where = f"[{language} 390px]"
    try:
        phone.visit(f"/competence/answer/{survey.invitation.token}/?lang={language}")
        page = phone.page
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.add(where, f"the answer page scrolls sideways by {overflow}px")
        children = page.locator(f"[data-show-if='q{survey.q_single.pk}']")
        if children.is_visible():
            problems.add(where, "the follow-up question shows before its condition is met")
        phone.check(
            f"{where} answer",
            language=language,
            screenshot=f"competence-{language}-answer" if language in ("nb", "sv") else None,
        )
        # By keyboard: the first radio of "Do you work with children?", then the arrow to "Yes".
        page.focus(f"#id_q{survey.q_single.pk}_0")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        if not children.is_visible():
            problems.add(where, "choosing 'yes' by keyboard does not show the follow-up")
        page.focus(f"#id_q{survey.q_children.pk}")
        page.keyboard.type("6–12 år")
        page.focus(f"#id_q{survey.q_likert.pk}_3")
        page.keyboard.press("Space")
        for area in survey.areas:
            page.focus(f"#id_q{survey.q_matrix.pk}_a{area.pk}_2")
            page.keyboard.press("Space")
        page.focus("button[value=send]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if "/thanks/" not in page.url:
            problems.add(where, f"sending by keyboard did not reach the thanks page: {page.url}")
        phone.check(f"{where} thanks", language=language)
    finally:
        phone.close()
    problems.assert_none()


def test_bad_answers_are_announced_and_kept_in_the_browser(
    browser: Any, axe_source: str, live_server: Any, mapping: Any
) -> None:
    problems = Problems()
    phone = Browsing(browser, live_server.url, axe_source, problems, language="nb", width=390)
    survey = mapping
    try:
        phone.visit(f"/competence/answer/{survey.invitation.token}/")
        page = phone.page
        page.fill(f"#id_q{survey.q_long.pk}", "Ikke mist meg")
        page.fill(f"#id_q{survey.q_number.pk}", "500")
        with page.expect_navigation():
            page.click("button[value=send]")
        if page.locator("[role=alert]").count() != 1:
            problems.add("[nb] errors", "no error summary")
        if page.input_value(f"#id_q{survey.q_long.pk}") != "Ikke mist meg":
            problems.add("[nb] errors", "the text written was lost")
        phone.check("[nb] answer with errors", language="nb")
    finally:
        phone.close()
    problems.assert_none()


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, world: Any, mapping: Any, language: str
) -> None:
    problems = Problems()
    survey = mapping
    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(world.consultant),
    )
    try:
        for path in [
            "/competence/staff/",
            f"/competence/staff/surveys/{survey.pk}/",
            f"/competence/staff/surveys/{survey.pk}/results/",
            f"/competence/staff/surveys/{survey.pk}/results/library/",
            f"/competence/staff/surveys/{survey.pk}/results/role/",
            f"/competence/staff/surveys/{survey.pk}/invite/",
            f"/competence/staff/questions/{survey.q_single.pk}/",
            "/competence/staff/surveys/new/",
            "/competence/staff/areas/new/",
            f"/competence/staff/plans/{survey.plan.pk}/",
            "/competence/staff/evaluations/",
        ]:
            kari.visit(path)
            name = "-".join("id" if part.isdigit() else part for part in path.split("/") if part)
            kari.check(
                f"[{language}] {path}",
                language=language,
                screenshot=f"{name}-{language}" if language == "nb" and "results" in path else None,
            )
    finally:
        kari.close()
    problems.assert_none()
