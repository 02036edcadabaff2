"""The JSON API of projects: published projects of the site, with what the agency publishes."""

from __future__ import annotations

import pytest

from bokbro.projects.services.projects import PartnerFields, partner_add
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db

INTERNAL = "Hemmelig: budsjettet er stramt"


def test_the_api_lists_published_projects_without_internal_notes(world, client_for):
    published = make_project(world, title="Leselyst", is_published=True, goals="A\nB")
    partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=published,
        fields=PartnerFields(library=world.library, role="model_library"),
    )
    make_project(world, title="Utkast")
    make_project(world, title="Ferdig", status="completed", is_published=True)
    client = client_for(None)
    response = client.get("/api/projects/")
    assert response.status_code == 200
    data = response.json()
    assert sorted(item["title"] for item in data["items"]) == ["Ferdig", "Leselyst"]
    assert INTERNAL not in response.content.decode()
    running = client.get("/api/projects/?status=running").json()["items"]
    assert [item["title"] for item in running] == ["Leselyst"]
    item = running[0]
    assert item["goals"] == ["A", "B"] and item["url"] == f"/projects/{published.pk}/"
    assert item["partners"] == [
        {
            "name": "Fredrikstad bibliotek",
            "kind": "library",
            "role": "model_library",
            "library_id": world.library.pk,
            "external_kind": "",
            "country": "",
        }
    ]
    assert client.get(f"/api/projects/{published.pk}").json()["title"] == "Leselyst"


def test_unpublished_and_hidden_parts_stay_out_of_the_api(world, client_for):
    hidden = make_project(world, title="Utkast")
    assert client_for(None).get(f"/api/projects/{hidden.pk}").status_code == 404
    published = make_project(world, is_published=True, public_partners=False)
    partner_add(
        actor=world.consultant,
        agency=world.agency,
        project=published,
        fields=PartnerFields(library=world.library),
    )
    assert client_for(None).get(f"/api/projects/{published.pk}").json()["partners"] == []
    swedish = client_for(None, host="jonkoping.testserver")
    assert swedish.get(f"/api/projects/{published.pk}").status_code == 404
