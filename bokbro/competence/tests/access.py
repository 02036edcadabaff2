"""The competence module's rows of the access matrix (core/tests/test_access_matrix.py).

The survey in `setup` is the Norwegian agency's: open, anonymous, with an open link and one
personal link (Aisha's). Anyone holding a link answers it on the agency's own site (each role's
POST is rolled back, so each sends a first answer); on the Swedish site the link is not found.
Building, sending and results are for the Norwegian agency's team; the Swedish consultant at
home creates surveys, areas and plans for his own agency but not on the Norwegian objects.
"""

from __future__ import annotations

from typing import Any

from bokbro.competence import services
from bokbro.competence.models import (
    Answer,
    CompetenceArea,
    Draft,
    Invitation,
    Plan,
    PlanArea,
    Question,
    Response,
    Section,
    Survey,
)
from bokbro.competence.tests.factories import answer_post, make_survey
from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)

ANSWERS = (302, 302, 302, 302, 302, 302, 302, 404)
CREATE_OWN = (LOGIN, 403, 403, 403, 302, 302, 403, 302)
OWNER_CHANGES = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
# The API for the agency's team: 401 without a session, 403 for anyone not on the team.
API_TEAM = (401, 403, 403, 403, 200, 200, 403, 200)
API_TEAM_OBJECT = (401, 403, 403, 403, 200, 200, 403, 404)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "competence:answer": ON_OWN_SITE,
    "competence:open": ON_OWN_SITE,
    "competence:draft": ON_OWN_SITE,
    "competence:thanks": ON_OWN_SITE,
    "competence:staff": TEAM_GET,
    "competence:evaluation_sums": TEAM_GET,
    "api:competence_surveys": API_TEAM,
    "api:competence_results": API_TEAM_OBJECT,
    "competence:survey_create": TEAM_GET,
    "competence:survey": TEAM_OBJECT,
    "competence:survey_edit": TEAM_OBJECT,
    "competence:section_create": TEAM_OBJECT,
    "competence:question_create": TEAM_OBJECT,
    "competence:question_edit": TEAM_OBJECT,
    "competence:question_delete": TEAM_POST_ONLY,
    "competence:survey_open": TEAM_POST_ONLY,
    "competence:survey_close": TEAM_POST_ONLY,
    "competence:survey_copy": TEAM_POST_ONLY,
    "competence:invite": TEAM_OBJECT,
    "competence:send_links": TEAM_POST_ONLY,
    "competence:results": TEAM_OBJECT,
    "competence:breakdown": TEAM_OBJECT,
    "competence:export_csv": TEAM_OBJECT,
    "competence:export_xlsx": TEAM_OBJECT,
    "competence:area_create": TEAM_GET,
    "competence:area_edit": TEAM_OBJECT,
    "competence:plan_create": TEAM_GET,
    "competence:plan": TEAM_OBJECT,
    "competence:plan_area_add": TEAM_POST_ONLY,
    "competence:plan_area_edit": TEAM_POST_ONLY,
    "competence:event_evaluation": TEAM_OBJECT,
}

POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "competence:answer": ANSWERS,
    "competence:open": ANSWERS,
    "competence:draft": ANSWERS,
    "competence:survey_create": CREATE_OWN,
    "competence:survey_edit": OWNER_CHANGES,
    "competence:section_create": OWNER_CHANGES,
    "competence:question_create": OWNER_CHANGES,
    "competence:question_edit": OWNER_CHANGES,
    "competence:question_delete": OWNER_CHANGES,
    "competence:survey_open": OWNER_CHANGES,
    "competence:survey_close": OWNER_CHANGES,
    "competence:survey_copy": OWNER_CHANGES,
    "competence:invite": OWNER_CHANGES,
    "competence:send_links": OWNER_CHANGES,
    "competence:area_create": CREATE_OWN,
    "competence:area_edit": OWNER_CHANGES,
    "competence:plan_create": CREATE_OWN,
    "competence:plan_area_add": OWNER_CHANGES,
    "competence:plan_area_edit": OWNER_CHANGES,
    "competence:event_evaluation": OWNER_CHANGES,
}

READ_ONLY = {
    "competence:staff",
    "competence:evaluation_sums",
    "competence:survey",
    "competence:results",
    "competence:breakdown",
    "competence:export_csv",
    "competence:export_xlsx",
    "competence:plan",
    "api:competence_surveys",
    "api:competence_results",
}

OBJECT_URLS = [
    "competence:answer",
    "competence:open",
    "competence:draft",
    "competence:thanks",
    "competence:survey",
    "competence:survey_edit",
    "competence:section_create",
    "competence:question_create",
    "competence:question_edit",
    "competence:question_delete",
    "competence:survey_open",
    "competence:survey_close",
    "competence:survey_copy",
    "competence:invite",
    "competence:send_links",
    "competence:results",
    "competence:breakdown",
    "competence:export_csv",
    "competence:export_xlsx",
    "competence:area_edit",
    "competence:plan",
    "competence:plan_area_add",
    "competence:plan_area_edit",
    "competence:event_evaluation",
    "api:competence_results",
]

SECRET_TEXT = "Hemmelig fritekst fra Aisha"


def setup(site: Any) -> dict[str, Any]:
    w = site.world
    survey = make_survey(w, open_link=True)
    people = services.directory_people(agency=w.agency)
    services.invitations_create(actor=w.consultant, agency=w.agency, survey=survey, people=people)
    invitation = survey.invitations.get(email=w.staff_person.email)
    other = survey.invitations.get(email=w.manager_person.email)
    # The manager has answered (a named survey would show it to staff only).
    draft = services.draft_for_invitation(other)
    from django.utils.datastructures import MultiValueDict

    from bokbro.competence.forms import AnswerForm
    from bokbro.competence.selectors import questions_for

    data = answer_post(survey, **{f"q{survey.q_long.pk}": SECRET_TEXT})
    data.pop("action")
    form = AnswerForm(
        MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()}),
        questions=questions_for(survey),
        language="nb",
        sending=True,
    )
    assert form.is_valid(), form.errors
    services.response_submit(draft=draft, values=form.values())
    open_draft = Draft.objects.create(survey=survey, data={}, language="nb")
    template = Survey.objects.create(
        agency=w.agency, title={"nb": "Kursevaluering"}, languages=["nb"], is_template=True
    )
    services.question_save(
        actor=w.consultant,
        agency=w.agency,
        question=Question(
            survey=template,
            kind="likert",
            text={"nb": "Samlet vurdering"},
            options=[{"nb": str(n)} for n in range(1, 6)],
        ),
    )
    area = survey.areas[0]
    plan = services.plan_save(
        actor=w.consultant,
        agency=w.agency,
        plan=Plan(
            title="Kompetanseplan 2027–2028", starts_year=2027, ends_year=2028, mapping=survey
        ),
    )
    plan_area = services.plan_area_save(
        actor=w.consultant, agency=w.agency, plan_area=PlanArea(plan=plan, area=area, priority=1)
    )
    draft_survey = Survey.objects.create(
        agency=w.agency, title={"nb": "Utkast"}, languages=["nb"], kind="needs"
    )
    services.question_save(
        actor=w.consultant,
        agency=w.agency,
        question=Question(survey=draft_survey, kind="short", text={"nb": "Hva trenger du?"}),
    )
    return {
        "survey": survey,
        "draft_survey": draft_survey,
        "invitation": invitation,
        "open_draft": open_draft,
        "area": area,
        "second_area": survey.areas[1],
        "plan": plan,
        "plan_area": plan_area,
        "template": template,
        "event": site.of("events")["event"],
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    survey = objects["survey"]
    draft_survey = objects["draft_survey"]
    by_survey = {"pk": survey.pk}
    return {
        "competence:answer": {"token": objects["invitation"].token},
        "competence:open": {"token": survey.open_token},
        "competence:draft": {"token": objects["open_draft"].token},
        "competence:thanks": by_survey,
        "competence:survey": by_survey,
        "competence:survey_edit": by_survey,
        "competence:section_create": {"pk": draft_survey.pk},
        "competence:question_create": {"pk": draft_survey.pk},
        "competence:question_edit": {"pk": draft_survey.questions.get().pk},
        "competence:question_delete": {"pk": draft_survey.questions.get().pk},
        "competence:survey_open": {"pk": draft_survey.pk},
        "competence:survey_close": by_survey,
        "competence:survey_copy": by_survey,
        "competence:invite": by_survey,
        "competence:send_links": by_survey,
        "competence:results": by_survey,
        "competence:breakdown": {"pk": survey.pk, "dimension": "library"},
        "competence:export_csv": by_survey,
        "competence:export_xlsx": by_survey,
        "competence:area_edit": {"pk": objects["area"].pk},
        "competence:plan": {"pk": objects["plan"].pk},
        "competence:plan_area_add": {"pk": objects["plan"].pk},
        "competence:plan_area_edit": {"pk": objects["plan_area"].pk},
        "competence:event_evaluation": {"pk": objects["event"].pk},
        "api:competence_results": {"survey_id": survey.pk},
    }.get(name, {})


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    survey = objects["survey"]
    answer = answer_post(survey, role="staff")
    texts = {"title_nb": "Behovsundersøkelse", "languages": ["nb"], "kind": "needs"}
    area_texts = {"name_nb": "Formidling til barn", "name_sv": "Förmedling till barn"}
    return {
        "competence:answer": answer,
        "competence:open": answer,
        "competence:draft": answer,
        "competence:survey_create": texts,
        "competence:survey_edit": texts | {"anonymous": "on"},
        "competence:section_create": {"title_nb": "Bakgrunn"},
        "competence:question_create": {
            "kind": "single",
            "text_nb": "Jobber du deltid?",
            "options_nb": "Ja\nNei",
            "audience": "everyone",
        },
        "competence:question_edit": {
            "kind": "long",
            "text_nb": "Hva trenger du mest?",
            "audience": "everyone",
        },
        "competence:invite": {"roles": ["manager", "staff"]},
        "competence:area_create": area_texts,
        "competence:area_edit": area_texts,
        "competence:plan_create": {"title": "Plan", "starts_year": "2027", "ends_year": "2028"},
        "competence:plan_area_add": {"area": objects["second_area"].pk},
        "competence:plan_area_edit": {"goal": "Alle kan veilede i e-bøker"},
        "competence:event_evaluation": {"template": objects["template"].pk},
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "surveys": list(Survey.objects.order_by("pk").values()),
        "sections": list(Section.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "responses": list(Response.objects.order_by("pk").values()),
        "answers": list(Answer.objects.order_by("pk").values()),
        "areas": list(CompetenceArea.objects.order_by("pk").values()),
        "plans": list(Plan.objects.order_by("pk").values()),
        "plan_areas": list(PlanArea.objects.order_by("pk").values("pk", "goal", "gap")),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """An answer's free text and who was invited are for the agency's team only."""
    return [SECRET_TEXT, site.world.manager_person.email]
