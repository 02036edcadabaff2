"""The library plan section of the library and municipality profiles (scenario 2)."""

from __future__ import annotations

from datetime import date

import pytest

from bokbro.plans.services import dialogues, municipal

pytestmark = pytest.mark.django_db

THIS_YEAR = date.today().year


@pytest.fixture
def plan_and_dialogue(world):
    municipal.municipal_plan_create(
        actor=world.consultant,
        agency=world.agency,
        fields=municipal.MunicipalPlanFields(
            municipality=world.municipality,
            title="Bibliotekplan for Fredrikstad",
            starts_year=THIS_YEAR - 3,
            ends_year=THIS_YEAR + 1,
        ),
    )
    dialogues.dialogue_create(
        actor=world.consultant,
        agency=world.agency,
        fields=dialogues.DialogueFields(
            municipality=world.municipality,
            year=THIS_YEAR,
            date=date.today(),
            summary="Vi ble enige om å starte arbeidet med ny plan.",
            internal_notes="Internt: kommunen vurderer å kutte filialen.",
        ),
    )


def test_the_manager_sees_the_plan_flagged_and_the_summary_never_the_internal_notes(
    world, client_for, plan_and_dialogue
):
    page = (
        client_for(world.manager, language="en")
        .get(f"/directory/libraries/{world.library.pk}/profile/")
        .content.decode()
    )
    assert "Bibliotekplan for Fredrikstad" in page
    assert "Expires soon" in page
    assert "Vi ble enige om å starte arbeidet med ny plan." in page
    assert "kutte filialen" not in page


def test_staff_see_the_internal_notes_on_the_municipality_profile(
    world, client_for, plan_and_dialogue
):
    page = (
        client_for(world.consultant, language="en")
        .get(f"/directory/municipalities/no/{world.municipality.code}/profile/")
        .content.decode()
    )
    assert "Expires soon" in page
    assert "Internt: kommunen vurderer å kutte filialen." in page


def test_another_agencys_plans_are_not_on_the_profile(world, client_for):
    from bokbro.plans.models import MunicipalPlan

    MunicipalPlan.objects.create(
        agency=world.other_agency,
        municipality=world.municipality,
        title="Fremmed registrering",
        starts_year=2020,
    )
    page = (
        client_for(world.manager, language="en")
        .get(f"/directory/libraries/{world.library.pk}/profile/")
        .content.decode()
    )
    assert "Fremmed registrering" not in page


def test_the_section_reads_in_the_same_number_of_queries_for_one_dialogue_and_many(
    world, client_for, plan_and_dialogue
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.manager, language="en")
    url = f"/directory/libraries/{world.library.pk}/profile/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    before = count()
    for year in range(THIS_YEAR - 4, THIS_YEAR):
        dialogues.dialogue_create(
            actor=world.consultant,
            agency=world.agency,
            fields=dialogues.DialogueFields(
                municipality=world.municipality,
                year=year,
                date=date(year, 5, 1),
                summary=f"Dialog {year}",
            ),
        )
    assert count() == before
