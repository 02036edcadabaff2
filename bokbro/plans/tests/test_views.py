"""The plan pages, the register and the dialogues as the agency's staff and the public use them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from bokbro.core.models import AuditEntry
from bokbro.directory.models import Municipality
from bokbro.plans.models import Action, Dialogue, Goal, IndicatorValue, MunicipalPlan, Plan
from bokbro.plans.services import dialogues, municipal, parts, plans
from bokbro.plans.tests.conftest import make_plan

pytestmark = pytest.mark.django_db

THIS_YEAR = date.today().year


def body(response: Any) -> str:
    return response.content.decode()


# --- The public plan page -------------------------------------------------------------------------


def test_the_public_sees_published_plans_with_their_tree_and_indicators(world, client_for):
    plan = make_plan(world, starts_year=THIS_YEAR - 1, ends_year=THIS_YEAR + 2)
    indicator = Goal.objects.get(plan=plan).indicators.get()
    parts.indicator_value_set(
        actor=world.consultant, agency=world.agency, indicator=indicator, year=THIS_YEAR, value=12
    )
    page = body(client_for(None, language="en").get("/plans/"))
    assert plan.title in page
    assert "Det åpne biblioteket" in page and "1.1 Leselyst for alle" in page
    assert "Bokprat i alle kommuner" in page
    assert "Kommuner med bokprat" in page and "Target reached" in page
    assert "<strong>bibliotekutvikling</strong>" in page  # the summary's Markdown


def test_an_unpublished_plan_is_hidden_from_the_public(world, client_for):
    plan = make_plan(world, title="Utkast til ny plan", is_published=False)
    assert "Utkast til ny plan" not in body(client_for(world.public, language="en").get("/plans/"))
    assert client_for(None, language="en").get(f"/plans/{plan.pk}/").status_code == 404
    assert client_for(world.manager, language="en").get(f"/plans/{plan.pk}/").status_code == 404
    # Staff see it on their own pages.
    assert "Utkast til ny plan" in body(
        client_for(world.consultant, language="en").get("/plans/staff/")
    )


def test_another_agencys_plan_is_not_on_this_site(world, client_for):
    plan = make_plan(world, agency=world.other_agency, title="Regional biblioteksplan Jönköping")
    assert "Jönköping" not in body(client_for(None, language="en").get("/plans/"))
    assert client_for(None, language="en").get(f"/plans/{plan.pk}/").status_code == 404
    assert (
        client_for(None, host="jonkoping.testserver", language="en")
        .get(f"/plans/{plan.pk}/")
        .status_code
        == 200
    )


def test_an_unpublished_plans_file_is_for_staff_only(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = plans.plan_create(
        actor=world.consultant,
        agency=world.agency,
        fields=plans.PlanFields(
            title="Utkast", kind="library", starts_year=2026, is_published=False
        ),
        document=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 utkast"),
    )
    assert client_for(None, language="en").get(f"/plans/{plan.pk}/document/").status_code == 404
    assert (
        client_for(world.manager, language="en").get(f"/plans/{plan.pk}/document/").status_code
        == 403
    )
    response = client_for(world.consultant, language="en").get(f"/plans/{plan.pk}/document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- The plan form and the tree ------------------------------------------------------------------


def plan_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Regional bibliotekplan",
        "kind": "library",
        "starts_year": "2024",
        "ends_year": "2027",
        "adopted_on": "",
        "adopted_by": "Fylkestinget",
        "url": "",
        "summary": "",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_the_plan_form_refuses_a_period_out_of_order(world, client_for):
    response = client_for(world.consultant, language="en").post(
        "/plans/staff/new/", plan_form(starts_year="2027", ends_year="2024")
    )
    assert response.status_code == 200
    assert "The plan cannot end before it starts." in body(response)
    assert not Plan.objects.exists()


def test_the_plan_form_refuses_a_file_that_is_not_a_pdf(world, client_for):
    upload = SimpleUploadedFile("plan.pdf", b"MZ not a pdf at all")
    response = client_for(world.consultant, language="en").post(
        "/plans/staff/new/", {**plan_form(), "document": upload}
    )
    assert "The file&#x27;s content is not PDF" in body(response)
    assert not Plan.objects.exists()


def test_staff_build_the_tree_from_the_plan_page_with_the_inline_forms(world, client_for):
    kari = client_for(world.consultant, language="en")
    response = kari.post("/plans/staff/new/", plan_form())
    plan = Plan.objects.get()
    assert response["Location"] == f"/plans/staff/{plan.pk}/"
    kari.post(
        f"/plans/staff/{plan.pk}/focus-areas/new/",
        {"prefix": "f", "f-title": "Det lærende biblioteket"},
    )
    area = plan.focus_areas.get()
    kari.post(
        f"/plans/staff/{plan.pk}/goals/new/",
        {
            "prefix": f"g{area.pk}",
            f"g{area.pk}-focus_area": area.pk,
            f"g{area.pk}-code": "2.1",
            f"g{area.pk}-title": "Digital kompetanse",
        },
    )
    goal = plan.goals.get()
    kari.post(
        f"/plans/staff/{plan.pk}/goals/new/",
        {
            "prefix": f"g{area.pk}",
            f"g{area.pk}-focus_area": area.pk,
            f"g{area.pk}-code": "2.2",
            f"g{area.pk}-title": "Kildekritikk",
        },
    )
    kari.post(
        f"/plans/staff/{plan.pk}/measures/new/",
        {
            "prefix": f"m{goal.pk}",
            f"m{goal.pk}-goal": goal.pk,
            f"m{goal.pk}-title": "Kurs",
            f"m{goal.pk}-year": "2026",
            f"m{goal.pk}-status": "planned",
        },
    )
    assert [g.title for g in plan.goals.order_by("order", "pk")] == [
        "Digital kompetanse",
        "Kildekritikk",
    ]
    assert [g.order for g in plan.goals.order_by("pk")] == [0, 1]  # new goals go last
    assert Action.objects.get().year == 2026
    page = body(kari.get(f"/plans/staff/{plan.pk}/"))
    assert "2.2 Kildekritikk" in page and "Kurs" in page
    assert "Goal added" in page  # the history
    assert AuditEntry.objects.filter(action="plans.goal.created").count() == 2


def test_a_goal_cannot_be_put_under_another_plans_focus_area(world, client_for):
    plan = make_plan(world)
    other = make_plan(world, title="Kulturstrategi")
    foreign_area = other.focus_areas.get()
    response = client_for(world.consultant, language="en").post(
        f"/plans/staff/{plan.pk}/goals/new/",
        {
            "focus_area": foreign_area.pk,
            "code": "",
            "title": "Lurt",
            "description": "",
            "order": "",
        },
    )
    assert response.status_code == 200
    assert not Goal.objects.filter(title="Lurt").exists()


def test_an_indicator_value_is_entered_per_year_and_replaced(world, client_for):
    plan = make_plan(world)
    indicator = Goal.objects.get(plan=plan).indicators.get()
    kari = client_for(world.consultant, language="en")
    url = f"/plans/staff/{plan.pk}/indicators/{indicator.pk}/values/"
    prefix = f"value-{indicator.pk}"
    kari.post(url, {f"{prefix}-year": "2025", f"{prefix}-value": "4", f"{prefix}-note": ""})
    kari.post(url, {f"{prefix}-year": "2025", f"{prefix}-value": "6,5", f"{prefix}-note": "Rettet"})
    value = IndicatorValue.objects.get()
    assert (value.year, str(value.value), value.note) == (2025, "6.50", "Rettet")
    page = body(kari.get(f"/plans/staff/{plan.pk}/goal/{indicator.goal_id}/"))
    assert "Not yet reached" in page  # 6.5 of a target of 10


def test_the_action_plan_filters_by_year_and_status_and_exports(world, client_for):
    plan = make_plan(world)
    goal = Goal.objects.get(plan=plan)
    parts.part_create(
        actor=world.consultant,
        agency=world.agency,
        plan=plan,
        model=Action,
        cleaned_data={"goal": goal, "title": "=Formelfelle", "year": 2027, "status": "planned"},
    )
    kari = client_for(world.consultant, language="en")
    page = body(kari.get(f"/plans/staff/{plan.pk}/action-plan/?year=2026&status=ongoing"))
    assert "Kursrekke i bokprat" in page and "Formelfelle" not in page
    csv = body(kari.get(f"/plans/staff/{plan.pk}/action-plan.csv?year=2027"))
    assert "'=Formelfelle" in csv and "Kursrekke" not in csv
    response = kari.get(f"/plans/staff/{plan.pk}/action-plan.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Kursrekke i bokprat",
        "=Formelfelle",
    ]


# --- The register ---------------------------------------------------------------------------------


def municipal_form(municipality: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "municipality": str(municipality.pk),
        "title": "Bibliotekplan",
        "starts_year": "2024",
        "ends_year": "2027",
        "adopted_on": "",
        "adopted_by": "",
        "url": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_municipality_outside_the_region_is_refused(world, client_for):
    varnamo = Municipality.objects.get(name="Värnamo")
    response = client_for(world.consultant, language="en").post(
        "/plans/municipal/new/", municipal_form(varnamo)
    )
    assert response.status_code == 200
    assert "Choose a municipality in your agency&#x27;s region." in body(response)
    assert not MunicipalPlan.objects.exists()


def test_the_service_refuses_a_municipality_outside_the_region_too(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        municipal.municipal_plan_create(
            actor=world.consultant,
            agency=world.agency,
            fields=municipal.MunicipalPlanFields(
                municipality=Municipality.objects.get(name="Värnamo"), title="X", starts_year=2024
            ),
        )


def test_the_municipal_plan_form_refuses_a_period_out_of_order(world, client_for):
    response = client_for(world.consultant, language="en").post(
        "/plans/municipal/new/", municipal_form(world.municipality, ends_year="2020")
    )
    assert "The plan cannot end before it starts." in body(response)


def test_the_register_shows_counts_filters_and_exports(world, client_for):
    kari = client_for(world.consultant, language="en")
    kari.post(
        "/plans/municipal/new/",
        municipal_form(world.municipality, starts_year="2023", ends_year=str(THIS_YEAR + 1)),
    )
    page = body(kari.get("/plans/municipal/"))
    assert "1 of 2 municipalities (50.0 %)" in page  # current: Fredrikstad; missing: Sarpsborg
    assert "Expires soon" in page
    page = body(kari.get("/plans/municipal/?status=missing"))
    assert "Sarpsborg" in page and "Fredrikstad</a>" not in page
    csv = body(kari.get("/plans/municipal/library-plans.csv?status=current"))
    lines = csv.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Fredrikstad,3107,Østfold,Current,Yes,No")
    response = kari.get(f"/plans/municipal/library-plans.xlsx?year={THIS_YEAR + 4}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("Fredrikstad", "Expired"),
        ("Sarpsborg", "Missing"),
    ]


# --- Dialogues ------------------------------------------------------------------------------------


def dialogue_form(world: Any, tpl: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "municipality": str(world.municipality.pk),
        "year": str(THIS_YEAR),
        "date": date.today().isoformat(),
        "template": str(tpl.pk),
        "questions_of": str(tpl.pk),
        "participants": "Biblioteksjef og kultursjef",
        "consultant": str(world.consultant.pk),
        "hours": "2",
        "summary": "Vi gikk gjennom planen.",
        "internal_notes": "Internt: usikker økonomi",
        "answer_0": "Godt",
        "answer_1": "Flere kurs",
    }
    data.update(overrides)
    return data


@pytest.fixture
def template(world: Any) -> Any:
    return dialogues.dialogue_template_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueTemplateFields(
            title="Dialogmøte", questions="Hvordan går det?\nHva trenger dere?"
        ),
    )


def test_a_dialogue_is_logged_with_answers_and_status_per_goal(world, client_for, template):
    plan = make_plan(world, starts_year=THIS_YEAR - 1, ends_year=THIS_YEAR + 1)
    goal = Goal.objects.get(plan=plan)
    kari = client_for(world.consultant, language="en")
    form = body(kari.get(f"/plans/dialogues/new/?municipality={world.municipality.pk}"))
    assert "Hva trenger dere?" in form and "1.1 Leselyst for alle" in form
    response = kari.post(
        "/plans/dialogues/new/",
        dialogue_form(
            world,
            template,
            **{f"goal_{goal.pk}": "under_way", f"goal_{goal.pk}_comment": "Godt i gang"},
        ),
    )
    dialogue = Dialogue.objects.get()
    assert response["Location"] == f"/plans/dialogues/{dialogue.pk}/"
    assert dialogue.answers == [
        {"question": "Hvordan går det?", "answer": "Godt"},
        {"question": "Hva trenger dere?", "answer": "Flere kurs"},
    ]
    status = dialogue.goal_statuses.get()
    assert (status.goal, status.status, status.comment) == (goal, "under_way", "Godt i gang")
    listing = body(kari.get(f"/plans/dialogues/?year={THIS_YEAR}"))
    assert "1 of 2 municipalities has had its annual dialogue" in listing


def test_a_second_dialogue_for_the_same_municipality_and_year_is_a_form_error(
    world, client_for, template
):
    kari = client_for(world.consultant, language="en")
    kari.post("/plans/dialogues/new/", dialogue_form(world, template))
    response = kari.post("/plans/dialogues/new/", dialogue_form(world, template))
    assert response.status_code == 200
    assert "This municipality already has an annual dialogue for this year." in body(response)
    assert Dialogue.objects.count() == 1


def test_choosing_another_template_shows_its_questions_without_saving(world, client_for, template):
    other = dialogues.dialogue_template_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueTemplateFields(title="Kort", questions="Noe nytt om meråpent?"),
    )
    response = client_for(world.consultant, language="en").post(
        "/plans/dialogues/new/", dialogue_form(world, template, template=str(other.pk))
    )
    assert response.status_code == 200
    assert "Noe nytt om meråpent?" in body(response)
    assert not Dialogue.objects.exists()


def test_every_change_is_in_the_audit_log(world, template):
    make_plan(world)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "plans.plan.created",
        "plans.focus_area.created",
        "plans.goal.created",
        "plans.strategy.created",
        "plans.action.created",
        "plans.indicator.created",
        "plans.dialogue_template.created",
    } <= actions


def test_the_database_constraint_turns_a_racing_second_dialogue_into_the_same_message(
    world, monkeypatch
):
    """Two people saving at once both pass the check before saving: the unique constraint
    decides, and the loser gets the form's message instead of a server error."""
    from django.core.exceptions import ValidationError

    data = {
        "municipality": world.municipality,
        "year": THIS_YEAR,
        "date": date.today(),
        "summary": "Første",
    }
    dialogues.dialogue_create(
        actor=world.consultant, agency=world.agency, fields=dialogues.DialogueFields(**data)
    )
    monkeypatch.setattr(dialogues, "dialogue_taken", lambda dialogue: False)  # checked too early
    with pytest.raises(ValidationError) as raised:
        dialogues.dialogue_create(
            actor=world.consultant, agency=world.agency, fields=dialogues.DialogueFields(**data)
        )
    assert raised.value.message_dict == {
        "year": ["This municipality already has an annual dialogue for this year."]
    }
    assert Dialogue.objects.count() == 1


def test_a_replaced_plan_file_leaves_storage_and_is_never_linked_directly(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    kari = client_for(world.consultant, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        kari.post(
            "/plans/staff/new/",
            {**plan_form(), "document": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 first")},
        )
    plan = Plan.objects.get()
    first = plan.document.name
    page = body(kari.get(f"/plans/staff/{plan.pk}/edit/"))
    assert "Stored file: plan.pdf" in page and "/media/" not in page
    with django_capture_on_commit_callbacks(execute=True):
        kari.post(
            f"/plans/staff/{plan.pk}/edit/",
            {**plan_form(), "document": SimpleUploadedFile("ny.pdf", b"%PDF-1.4 second")},
        )
    plan.refresh_from_db()
    assert plan.document.name != first
    assert not default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        kari.post(f"/plans/staff/{plan.pk}/delete/")
    assert not default_storage.exists(plan.document.name)
