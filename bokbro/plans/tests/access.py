"""Role-matrix rows for the plan, the municipal plan register and the dialogues.

The public plan page shows the agency's published plans to everyone; every other page is for
the agency's own staff. A dialogue's internal notes are for the agency's staff alone:
`hidden_texts` makes the matrix look for them on every page as every other role.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.plans.models import (
    Action,
    Dialogue,
    DialogueGoalStatus,
    DialogueTemplate,
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    MunicipalPlan,
    Plan,
    Strategy,
)
from bokbro.plans.services import dialogues, municipal, parts, plans

INTERNAL_NOTE = "Internt: rådmannen vil kutte bibliotekfilialen"
PDF = b"%PDF-1.4 regional plan"

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "plans:index": OPEN,
    "plans:detail": ON_OWN_SITE,
    "plans:document": ON_OWN_SITE,
    "plans:staff_list": TEAM_GET,
    "plans:plan_create": TEAM_GET,
    "plans:plan": TEAM_OBJECT,
    "plans:plan_edit": TEAM_OBJECT,
    "plans:plan_delete": TEAM_POST_ONLY,
    "plans:actions": TEAM_OBJECT,
    "plans:actions_csv": TEAM_OBJECT,
    "plans:actions_xlsx": TEAM_OBJECT,
    "plans:goal": TEAM_OBJECT,
    "plans:indicator_value": TEAM_POST_ONLY,
    "plans:indicator_value_delete": TEAM_POST_ONLY,
    "plans:part_create": TEAM_OBJECT,
    "plans:part_edit": TEAM_OBJECT,
    "plans:part_delete": TEAM_POST_ONLY,
    "plans:register": TEAM_GET,
    "plans:register_csv": TEAM_GET,
    "plans:register_xlsx": TEAM_GET,
    "plans:municipal_create": TEAM_GET,
    "plans:municipal_edit": TEAM_OBJECT,
    "plans:municipal_delete": TEAM_POST_ONLY,
    "plans:municipal_document": TEAM_OBJECT,
    "plans:dialogues": TEAM_GET,
    "plans:dialogue_create": TEAM_GET,
    "plans:dialogue": TEAM_OBJECT,
    "plans:dialogue_edit": TEAM_OBJECT,
    "plans:dialogue_delete": TEAM_POST_ONLY,
    "plans:dialogue_templates": TEAM_GET,
    "plans:dialogue_template_edit": TEAM_OBJECT,
    "plans:dialogue_template_delete": TEAM_POST_ONLY,
}

# anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
STAFF_CHANGE = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
# The outsider at home works for his own agency: a plan or template of his own is created.
OWN_AGENCY = (LOGIN, 403, 403, 403, 302, 302, 403, 302)
# The outsider at home picks a Norwegian municipality: the form comes back with an error.
REGION_ONLY = (LOGIN, 403, 403, 403, 302, 302, 403, 200)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "plans:plan_create": OWN_AGENCY,
    "plans:plan_edit": STAFF_CHANGE,
    "plans:plan_delete": STAFF_CHANGE,
    "plans:indicator_value": STAFF_CHANGE,
    "plans:indicator_value_delete": STAFF_CHANGE,
    "plans:part_create": STAFF_CHANGE,
    "plans:part_edit": STAFF_CHANGE,
    "plans:part_delete": STAFF_CHANGE,
    "plans:municipal_create": REGION_ONLY,
    "plans:municipal_edit": STAFF_CHANGE,
    "plans:municipal_delete": STAFF_CHANGE,
    "plans:dialogue_create": REGION_ONLY,
    "plans:dialogue_edit": STAFF_CHANGE,
    "plans:dialogue_delete": STAFF_CHANGE,
    "plans:dialogue_templates": OWN_AGENCY,
    "plans:dialogue_template_edit": STAFF_CHANGE,
    "plans:dialogue_template_delete": STAFF_CHANGE,
}
READ_ONLY: set[str] = {
    "plans:staff_list",
    "plans:plan",
    "plans:actions",
    "plans:actions_csv",
    "plans:actions_xlsx",
    "plans:goal",
    "plans:register",
    "plans:register_csv",
    "plans:register_xlsx",
    "plans:municipal_document",
    "plans:dialogues",
    "plans:dialogue",
}
OBJECT_URLS: list[str] = [
    "plans:detail",
    "plans:document",
    "plans:plan",
    "plans:plan_edit",
    "plans:plan_delete",
    "plans:actions",
    "plans:actions_csv",
    "plans:actions_xlsx",
    "plans:goal",
    "plans:indicator_value",
    "plans:indicator_value_delete",
    "plans:part_create",
    "plans:part_edit",
    "plans:part_delete",
    "plans:municipal_edit",
    "plans:municipal_delete",
    "plans:municipal_document",
    "plans:dialogue",
    "plans:dialogue_edit",
    "plans:dialogue_delete",
    "plans:dialogue_template_edit",
    "plans:dialogue_template_delete",
]


def setup(site: Any) -> dict[str, Any]:
    w = site.world
    agency, kari = w.agency, w.consultant
    plan = plans.plan_create(
        actor=kari,
        agency=agency,
        fields=plans.PlanFields(
            title="Regional bibliotekplan 2024–2027",
            kind="library",
            starts_year=2024,
            ends_year=2027,
            is_published=True,
        ),
        document=ContentFile(PDF, name="plan.pdf"),
    )

    def add(model: Any, **fields: Any) -> Any:
        return parts.part_create(
            actor=kari, agency=agency, plan=plan, model=model, cleaned_data=fields
        )

    area = add(FocusArea, code="1", title="Det åpne biblioteket", order=None)
    goal = add(Goal, focus_area=area, code="1.1", title="Leselyst", order=None)
    add(Strategy, goal=goal, title="Bokprat", order=None)
    add(Action, goal=goal, title="Kursrekke", year=2026, status="planned")
    indicator = add(Indicator, goal=goal, name="Kommuner med bokprat", unit="", order=None)
    value = parts.indicator_value_set(
        actor=kari, agency=agency, indicator=indicator, year=2024, value=Decimal("3")
    )
    municipal_plan = municipal.municipal_plan_create(
        actor=kari,
        agency=agency,
        fields=municipal.MunicipalPlanFields(
            municipality=w.municipality,
            title="Bibliotekplan for Fredrikstad",
            starts_year=2023,
            ends_year=2027,
        ),
        document=ContentFile(PDF, name="fredrikstad.pdf"),
    )
    template = dialogues.dialogue_template_create(
        actor=kari,
        agency=agency,
        fields=dialogues.DialogueTemplateFields(
            title="Dialogmøte", questions="Hvordan går det?\nHva trenger dere?"
        ),
    )
    dialogue = dialogues.dialogue_create(
        actor=kari,
        agency=agency,
        fields=dialogues.DialogueFields(
            municipality=w.municipality,
            year=date.today().year,
            date=date.today(),
            template=template,
            summary="Godt dialogmøte om leselyst",
            internal_notes=INTERNAL_NOTE,
        ),
        answers=["Bra", "Mer kurs"],
        goal_statuses=[(goal, "under_way", "")],
    )
    return {
        "plan": plan,
        "area": area,
        "goal": goal,
        "indicator": indicator,
        "value": value,
        "municipal_plan": municipal_plan,
        "template": template,
        "dialogue": dialogue,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    plan = {"pk": objects["plan"].pk}
    goal_part = {**plan, "part": "goals", "item_pk": objects["goal"].pk}
    return {
        "plans:detail": plan,
        "plans:document": plan,
        "plans:plan": plan,
        "plans:plan_edit": plan,
        "plans:plan_delete": plan,
        "plans:actions": plan,
        "plans:actions_csv": plan,
        "plans:actions_xlsx": plan,
        "plans:goal": {**plan, "goal_pk": objects["goal"].pk},
        "plans:indicator_value": {**plan, "indicator_pk": objects["indicator"].pk},
        "plans:indicator_value_delete": {**plan, "value_pk": objects["value"].pk},
        "plans:part_create": {**plan, "part": "goals"},
        "plans:part_edit": goal_part,
        "plans:part_delete": goal_part,
        "plans:municipal_edit": {"pk": objects["municipal_plan"].pk},
        "plans:municipal_delete": {"pk": objects["municipal_plan"].pk},
        "plans:municipal_document": {"pk": objects["municipal_plan"].pk},
        "plans:dialogue": {"pk": objects["dialogue"].pk},
        "plans:dialogue_edit": {"pk": objects["dialogue"].pk},
        "plans:dialogue_delete": {"pk": objects["dialogue"].pk},
        "plans:dialogue_template_edit": {"pk": objects["template"].pk},
        "plans:dialogue_template_delete": {"pk": objects["template"].pk},
    }.get(name, {})


# Over 80 lines because it is data: one valid form per URL of the role matrix.
def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    today = date.today()
    plan_form = {
        "title": "Ny regional plan",
        "kind": "library",
        "starts_year": "2028",
        "ends_year": "2031",
        "adopted_on": "",
        "adopted_by": "",
        "url": "",
        "summary": "",
        "is_published": "on",
    }
    municipal = {
        "municipality": str(w.other_library.municipality_id),
        "title": "Bibliotekplan for Sarpsborg",
        "starts_year": "2024",
        "ends_year": "2027",
        "adopted_on": "",
        "adopted_by": "Bystyret",
        "url": "",
        "covers_school_libraries": "on",
        "notes": "",
    }
    template = objects["template"]
    dialogue = {
        "municipality": str(w.other_library.municipality_id),
        "year": str(today.year),
        "date": today.isoformat(),
        "template": str(template.pk),
        "questions_of": str(template.pk),
        "participants": "Biblioteksjefen",
        "consultant": "",
        "hours": "1,5",
        "summary": "Første dialogmøte",
        "internal_notes": "",
        "answer_0": "Bra",
        "answer_1": "",
    }
    goal = objects["goal"]
    return {
        "plans:plan_create": plan_form,
        "plans:plan_edit": {**plan_form, "title": "Endret plan", "starts_year": "2024"},
        "plans:indicator_value": {
            f"value-{objects['indicator'].pk}-year": "2025",
            f"value-{objects['indicator'].pk}-value": "4",
            f"value-{objects['indicator'].pk}-note": "",
        },
        "plans:part_create": {
            "focus_area": str(objects["area"].pk),
            "code": "1.2",
            "title": "Nytt delmål",
            "description": "",
            "order": "",
        },
        "plans:part_edit": {
            "focus_area": str(objects["area"].pk),
            "code": goal.code,
            "title": "Endret delmål",
            "description": "",
            "order": "0",
        },
        "plans:municipal_create": municipal,
        "plans:municipal_edit": {
            **municipal,
            "municipality": str(w.municipality.pk),
            "title": "Endret plan",
        },
        "plans:dialogue_create": dialogue,
        "plans:dialogue_edit": {
            **dialogue,
            "municipality": str(w.municipality.pk),
            "summary": "Endret sammendrag",
        },
        "plans:dialogue_templates": {
            "title": "Kort mal",
            "questions": "Hva?\nHvordan?",
            "is_active": "on",
        },
        "plans:dialogue_template_edit": {
            "title": "Endret mal",
            "questions": "Hva?",
            "is_active": "on",
        },
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    models = [
        Plan,
        FocusArea,
        Goal,
        Strategy,
        Action,
        Indicator,
        IndicatorValue,
        MunicipalPlan,
        DialogueTemplate,
        Dialogue,
        DialogueGoalStatus,
    ]
    return {
        model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """A dialogue's internal notes: for the agency's own staff alone."""
    if role in {"consultant", "admin"}:
        return []
    return [INTERNAL_NOTE]
