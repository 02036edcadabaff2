"""The exchanges as a spreadsheet for the agency's team (each agency its own people's), and the
offers in the JSON API (what the public pages show, nothing personal)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.django_db


def test_each_agency_downloads_its_own_peoples_exchanges(swede, client_for):
    world = swede
    offer = make_offer(world, days=-20, title="Forbi", places=3)
    accepted_stay(world, offer, world.staff_person, world.library, motivation="Hemmelig grunn")
    at_home = make_offer(world, days=-20, title="Bare hjemme", places=3)
    accepted_stay(world, at_home, world.manager_person, world.library)
    accepted_stay(
        world, offer, world.karin_person, world.swedish_library, applicant_agency=world.other_agency
    )
    norwegian = client_for(world.consultant).get("/shadowing/staff/job-shadowing.csv")
    assert norwegian["Cache-Control"] == "private, no-store"
    text = norwegian.content.decode()
    assert "Aisha" in text and "Karin Bibliotekarie" in text and "Bare hjemme" in text
    assert "Hemmelig grunn" not in text  # the motivation stays on the application's page
    swedish = client_for(world.outsider, host="jonkoping.testserver")
    sheet = load_workbook(io.BytesIO(swedish.get("/shadowing/staff/job-shadowing.xlsx").content))
    rows = list(sheet.active.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == ["Karin Bibliotekarie"]  # its own person only


def test_the_api_lists_the_offers_one_can_apply_for(swede, client_for):
    world = swede
    closed = make_offer(world, title="Bare for Østfold")
    shared = make_offer(world, title="Öppen för grannarna", open_to_other_agencies=True)
    make_offer(world, days=-20, title="Forbi")
    swedish = client_for(None, host="jonkoping.testserver")
    found = swedish.get("/api/shadowing/").json()
    assert [o["title"] for o in found["items"]] == ["Öppen för grannarna"]
    assert found["items"][0]["places_left"] == 2 and found["items"][0]["host"]
    assert swedish.get(f"/api/shadowing/{closed.pk}").status_code == 404
    assert swedish.get(f"/api/shadowing/{shared.pk}").json()["url"] == f"/shadowing/{shared.pk}/"
    norwegian = client_for(None).get("/api/shadowing/?language=scandinavian").json()
    assert {o["title"] for o in norwegian["items"]} == {"Bare for Østfold", "Öppen för grannarna"}
