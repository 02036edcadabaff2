"""The public directory API: a valid OpenAPI 3.1 schema, correct filters, and a 4xx with a
reason for any malformed input, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bokbro.directory.models import Library, LibraryKind

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_openapi_schema_is_openapi_3_1_and_every_reference_resolves(db):
    schema = Client().get("/api/openapi.json").json()

    assert schema["openapi"].startswith("3.1.")
    assert schema["info"]["title"] == "Bokbro API"
    assert {
        "/api/directory/counties",
        "/api/directory/municipalities",
        "/api/directory/libraries",
        "/api/directory/libraries/{library_id}",
    } <= set(schema["paths"])

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(schema):
        assert ref.startswith("#/")
        target = schema
        for part in ref[2:].split("/"):
            target = target[part]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], (method, path)
            assert operation["operationId"], (method, path)


def test_libraries_filter_by_county_country_kind_and_search(world):
    Library.objects.create(name="Gamle bibliotek", municipality=world.municipality, is_active=False)
    Library.objects.create(
        name="Fengselsbiblioteket", kind=LibraryKind.PRISON, municipality=world.municipality
    )
    client = Client()

    assert names(client.get("/api/directory/libraries?county=31")) == [
        "Fengselsbiblioteket",
        "Fredrikstad bibliotek",
        "Sarpsborg bibliotek",
    ]
    assert names(client.get("/api/directory/libraries?country=SE")) == ["Värnamo bibliotek"]
    assert names(client.get("/api/directory/libraries?kind=prison")) == ["Fengselsbiblioteket"]
    assert names(client.get("/api/directory/libraries?q=sarp")) == ["Sarpsborg bibliotek"]
    assert names(client.get("/api/directory/libraries?q=Vrn")) == ["Värnamo bibliotek"]
    assert names(client.get("/api/directory/libraries?country=NO&kind=main")) == [
        "Fredrikstad bibliotek",
        "Sarpsborg bibliotek",
    ]


def test_a_regional_library_without_a_municipality_is_listed_by_its_county(world):
    Library.objects.create(
        name="Sjukhusbiblioteken i Jönköpings län",
        kind=LibraryKind.HOSPITAL,
        county=world.other_county,
    )

    response = Client().get("/api/directory/libraries?county=06")

    assert names(response) == ["Sjukhusbiblioteken i Jönköpings län", "Värnamo bibliotek"]
    assert response.json()["items"][0]["municipality_code"] is None


def test_libraries_are_paginated_with_limit_and_offset(world):
    response = Client().get("/api/directory/libraries?limit=1&offset=1")

    assert response.json()["count"] == 3
    assert names(response) == ["Sarpsborg bibliotek"]


def test_one_library_by_id(world):
    response = Client().get(f"/api/directory/libraries/{world.library.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "Fredrikstad bibliotek"
    assert response.json()["municipality_code"] == "3107"


def test_municipalities_and_counties(world):
    client = Client()

    municipalities = client.get("/api/directory/municipalities?county=31").json()["items"]
    counties = client.get("/api/directory/counties?country=SE").json()

    assert [m["name"] for m in municipalities] == ["Sarpsborg", "Fredrikstad"]
    assert municipalities[0]["county_code"] == "31"
    assert counties == [{"country": "SE", "code": "06", "name": "Jönköpings län"}]


@pytest.mark.parametrize(
    "url",
    [
        "/api/directory/libraries?county=abc",
        "/api/directory/libraries?county=1",
        "/api/directory/libraries?kind=nonsense",
        "/api/directory/libraries?country=DK",
        "/api/directory/libraries?limit=-5",
        "/api/directory/libraries?limit=0",
        "/api/directory/libraries?offset=x",
        "/api/directory/libraries?offset=-1",
        "/api/directory/libraries?q=" + "x" * 5000,
        "/api/directory/libraries?q=a%00b",
        "/api/directory/libraries/99999999999999999999",
        "/api/directory/libraries/-1",
        "/api/directory/libraries/abc",
        "/api/directory/municipalities?county=abc",
        "/api/directory/municipalities?limit=1e9",
        "/api/directory/counties?country=norway",
    ],
)
def test_malformed_input_answers_4xx_with_a_reason(world, url):
    response = Client().get(url)

    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_a_page_holds_at_most_500_rows(world):
    assert Client().get("/api/directory/libraries?limit=500").status_code == 200

    response = Client().get("/api/directory/libraries?limit=501")

    assert response.status_code == 422
    assert "500" in str(response.json()["detail"])


PARAMETERS = ["q", "kind", "country", "county", "limit", "offset"]
ANY_TEXT = st.text(max_size=300)
# The `db` fixture is shared by all examples; they only read, so that is safe.
FIXTURES_ARE_RESET = [HealthCheck.function_scoped_fixture]


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES_ARE_RESET)
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), ANY_TEXT, max_size=6))
@example(params={"q": "\x00", "county": "\x00", "kind": "\x00", "limit": "\x00"})
def test_random_query_parameters_never_cause_a_server_error(db, params):
    client = Client()

    for path in (
        "/api/directory/libraries",
        "/api/directory/municipalities",
        "/api/directory/counties",
    ):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params)


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES_ARE_RESET)
@given(library_id=st.one_of(st.integers(), st.text(min_size=1, max_size=40)))
def test_random_library_ids_never_cause_a_server_error(db, library_id):
    from urllib.parse import quote

    response = Client().get(f"/api/directory/libraries/{quote(str(library_id), safe='')}")

    assert response.status_code < 500, library_id
