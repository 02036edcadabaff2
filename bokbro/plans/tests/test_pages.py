"""Every page of the plan, the register and the dialogues renders in each language with valid
labels (no browser needed: test_browser.py runs axe where Chromium is installed), and the lists
read in a constant number of queries."""

from __future__ import annotations

from collections import Counter
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.directory.models import Municipality
from bokbro.plans.models import Goal
from bokbro.plans.services import dialogues, municipal, parts
from bokbro.plans.tests.conftest import make_plan

pytestmark = pytest.mark.django_db

THIS_YEAR = date.today().year


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_for: list[str] = []
        self.h1 = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"] or ""] += 1
        if tag == "label" and values.get("for"):
            self.label_for.append(values["for"] or "")
        if tag == "h1":
            self.h1 += 1


@pytest.fixture
def site(world: Any) -> Any:
    plan = make_plan(world, starts_year=THIS_YEAR - 1, ends_year=THIS_YEAR + 2)
    goal = Goal.objects.get(plan=plan)
    municipal.municipal_plan_create(
        actor=world.consultant,
        agency=world.agency,
        fields=municipal.MunicipalPlanFields(
            municipality=world.municipality,
            title="Bibliotekplan",
            starts_year=THIS_YEAR - 3,
            ends_year=THIS_YEAR + 1,
        ),
    )
    template = dialogues.dialogue_template_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueTemplateFields(
            title="Mal", questions="Hvordan går det?\nHva trenger dere?"
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
            summary="Bra",
        ),
        answers=["Bra", "Kurs"],
        goal_statuses=[(goal, "reached", "")],
    )
    world.plan, world.goal, world.dialogue = plan, goal, dialogue
    return world


def pages(site: Any) -> list[str]:
    p, g, d = site.plan.pk, site.goal.pk, site.dialogue.pk
    return [
        "/plans/",
        f"/plans/{p}/",
        "/plans/staff/",
        "/plans/staff/new/",
        f"/plans/staff/{p}/",
        f"/plans/staff/{p}/edit/",
        f"/plans/staff/{p}/goal/{g}/",
        f"/plans/staff/{p}/action-plan/",
        f"/plans/staff/{p}/goals/new/",
        f"/plans/staff/{p}/goals/{g}/",
        f"/plans/staff/{p}/measures/new/?goal={g}",
        "/plans/municipal/",
        "/plans/municipal/?status=expires_soon",
        "/plans/municipal/new/",
        "/plans/dialogues/",
        "/plans/dialogues/new/",
        f"/plans/dialogues/{d}/",
        f"/plans/dialogues/{d}/edit/",
        "/plans/dialogues/templates/",
        f"/directory/libraries/{site.library.pk}/profile/",
    ]


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "en"])
def test_every_page_renders_with_one_h1_unique_ids_and_labelled_fields(
    site: Any, client_for: Any, language: str
) -> None:
    client = client_for(site.consultant, language=language)
    for path in pages(site):
        response = client.get(path)
        assert response.status_code == 200, path
        parser = Ids()
        parser.feed(response.content.decode())
        assert parser.h1 == 1, path
        duplicates = [key for key, count in parser.ids.items() if count > 1]
        assert not duplicates, f"{path}: duplicate ids {duplicates}"
        unlabelled = [target for target in parser.label_for if target not in parser.ids]
        assert not unlabelled, f"{path}: labels without their field {unlabelled}"


def test_the_register_reads_in_a_constant_number_of_queries(site: Any, client_for: Any) -> None:
    client = client_for(site.consultant, language="en")
    client.get("/plans/municipal/")  # warm the session and the agency cache

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/plans/municipal/").status_code == 200
        return len(context.captured_queries)

    before = count()
    for code in range(3110, 3130):
        municipality = Municipality.objects.create(
            country="NO", code=str(code), name=f"Kommune {code}", county=site.county
        )
        municipal.municipal_plan_create(
            actor=site.consultant,
            agency=site.agency,
            fields=municipal.MunicipalPlanFields(
                municipality=municipality, title="Plan", starts_year=2020
            ),
        )
    assert count() == before


def test_the_plan_page_reads_in_a_constant_number_of_queries(site: Any, client_for: Any) -> None:
    client = client_for(site.consultant, language="en")
    url = f"/plans/staff/{site.plan.pk}/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = count()
    make_plan(site)  # another plan does not matter; more parts in this one must not either
    area = site.plan.focus_areas.get()
    for i in range(5):
        goal = parts.part_create(
            actor=site.consultant,
            agency=site.agency,
            plan=site.plan,
            model=Goal,
            cleaned_data={"focus_area": area, "title": f"Mål {i}", "order": None},
        )
        parts.part_create(
            actor=site.consultant,
            agency=site.agency,
            plan=site.plan,
            model=type(site.goal.indicators.get()),
            cleaned_data={"goal": goal, "name": f"Indikator {i}", "order": None},
        )
    assert count() == before
