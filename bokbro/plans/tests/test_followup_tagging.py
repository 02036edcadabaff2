"""Consultants tag their events, consultations, projects and measures with the goals of the
agency's plan, from each module's own form; the goals show on the staff pages and a copied
event keeps them. A goal of another agency's plan is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from bokbro.advisory.models import Consultation
from bokbro.advisory.tests.access import consultation_form
from bokbro.events.models import Event
from bokbro.events.services.events import event_copy
from bokbro.events.tests.test_staff_events import form_data as event_form
from bokbro.projects.models import Measure, Project
from bokbro.projects.tests.access import project_form
from bokbro.reports.tests.report_fixtures import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def goals(world: Any) -> Any:
    """Goals of the Norwegian agency's plan (a1, a2, b1) and one of the Swedish agency's."""
    _plan, _a, _b, a1, a2, b1 = make_plan(world.agency)
    *_rest, foreign = make_plan(world.other_agency, title="Regional biblioteksplan Jönköping")
    return {"a1": a1, "a2": a2, "b1": b1, "foreign": foreign}


def test_a_consultant_tags_a_new_event_with_goals_and_sees_them_on_its_page(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    form = client.get("/staff/events/new/").content.decode()
    assert "A1 Alle skal nå biblioteket (A Det åpne biblioteket)" in form
    # Only the agency's own three goals are offered, not the Swedish agency's.
    assert form.count('name="plan_goals"') == 3
    assert f'name="plan_goals" value="{goals["foreign"].pk}"' not in form
    response = client.post(
        "/staff/events/new/",
        event_form(plan_goals=[str(goals["a1"].pk), str(goals["b1"].pk)]),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert set(event.plan_goals.all()) == {goals["a1"], goals["b1"]}
    page = client.get(reverse("events_staff:detail", args=[event.pk])).content.decode()
    assert "Goals of the plan" in page
    assert "A1 Alle skal nå biblioteket" in page and "B1 Lesing for alle" in page


def test_an_event_cannot_be_tagged_with_another_agencys_goal(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    response = client.post("/staff/events/new/", event_form(plan_goals=[str(goals["foreign"].pk)]))
    assert response.status_code == 200
    assert "plan_goals" in response.context["form"].errors
    assert not Event.objects.exists()


def test_editing_an_event_changes_its_goals_and_a_copy_keeps_them(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    client.post("/staff/events/new/", event_form(plan_goals=[str(goals["a1"].pk)]))
    event = Event.objects.get()
    response = client.post(
        reverse("events_staff:edit", args=[event.pk]),
        event_form(plan_goals=[str(goals["a2"].pk)]),
    )
    assert response.status_code == 302
    assert list(event.plan_goals.all()) == [goals["a2"]]
    copy = event_copy(actor=world.consultant, agency=world.agency, event=event)
    assert list(copy.plan_goals.all()) == [goals["a2"]]


def test_a_consultant_tags_a_consultation_with_a_goal(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    data = consultation_form(_site(world), {"topic": _Topic()}, topics=[])
    response = client.post(reverse("advisory:create"), {**data, "plan_goals": [goals["a2"].pk]})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert list(consultation.plan_goals.all()) == [goals["a2"]]
    page = client.get(reverse("advisory:consultation", args=[consultation.pk])).content.decode()
    assert "A2 Sterke fagmiljø" in page
    # Untick it on the edit form: the tag goes.
    response = client.post(reverse("advisory:edit", args=[consultation.pk]), data)
    assert response.status_code == 302
    assert not consultation.plan_goals.exists()


def test_a_consultation_cannot_be_tagged_with_another_agencys_goal(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    data = consultation_form(_site(world), {"topic": _Topic()}, topics=[])
    response = client.post(
        reverse("advisory:create"), {**data, "plan_goals": [goals["foreign"].pk]}
    )
    assert response.status_code == 200
    assert "plan_goals" in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_a_consultant_tags_a_project_and_a_measure_with_goals(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    response = client.post(
        reverse("projects:create"), {**project_form(), "plan_goals": [goals["b1"].pk]}
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert list(project.plan_goals.all()) == [goals["b1"]]
    page = client.get(project.get_staff_url()).content.decode()
    assert "B1 Lesing for alle" in page
    response = client.post(
        reverse("projects:part_create", args=[project.pk, "measures"]),
        {"title": "Kursrekke", "status": "done", "plan_goals": [goals["a1"].pk]},
    )
    assert response.status_code == 302
    assert list(Measure.objects.get().plan_goals.all()) == [goals["a1"]]
    page = " ".join(client.get(project.get_staff_url()).content.decode().split())
    assert f"Goals of the plan: {goals['a1']}</span>" in page


def test_a_project_cannot_be_tagged_with_another_agencys_goal(
    world: Any, client_for: Any, goals: Any
) -> None:
    client = client_for(world.consultant, language="en")
    response = client.post(
        reverse("projects:create"), {**project_form(), "plan_goals": [goals["foreign"].pk]}
    )
    assert response.status_code == 200
    assert not Project.objects.exists()


def test_the_service_refuses_another_agencys_goal_even_without_the_form(
    world: Any, goals: Any
) -> None:
    from django.core.exceptions import ValidationError

    from bokbro.projects.services.projects import ProjectFields, project_create

    with pytest.raises(ValidationError):
        project_create(
            actor=world.consultant,
            agency=world.agency,
            fields=ProjectFields(title="Snarvei", plan_goals=(goals["foreign"],)),
        )
    assert not Project.objects.exists()
    from bokbro.events.services.events import event_update
    from bokbro.events.tests.conftest import make_event

    event = make_event(world.agency)

    with pytest.raises(ValidationError):
        event_update(
            actor=world.consultant,
            agency=world.agency,
            event=event,
            plan_goals=[goals["foreign"]],
        )
    assert not event.plan_goals.exists()


def test_without_a_plan_the_forms_do_not_offer_goals(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant, language="en")
    assert "Goals of the plan" not in client.get("/staff/events/new/").content.decode()
    assert "Goals of the plan" not in client.get(reverse("advisory:create")).content.decode()
    assert "Goals of the plan" not in client.get(reverse("projects:create")).content.decode()


class _Topic:
    pk = ""


class _site:
    def __init__(self, world: Any) -> None:
        self.world = world
