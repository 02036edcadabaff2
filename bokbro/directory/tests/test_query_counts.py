"""List pages run the same number of queries for 3 rows as for 30 (STYLE.md §3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.core.models import AuditEntry
from bokbro.directory.models import LibraryRoleKind, TeamMember
from bokbro.directory.tests.factories import (
    LibraryFactory,
    LibraryRoleFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20


def query_count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_constant(client: Any, url: str, add_rows: Callable[[int], object]) -> None:
    client.get("/healthz")  # the first request loads the agencies' host names into the cache
    add_rows(3)
    few = query_count(client, url)
    add_rows(27)
    many = query_count(client, url)

    assert many == few, f"{url}: {few} queries for 3 rows, {many} for 30"
    assert many <= MAX_QUERIES, f"{url}: {many} queries"


def test_library_list_queries_do_not_grow_with_rows(world, client_for):
    assert_constant(
        client_for(None),
        "/directory/libraries/",
        lambda n: LibraryFactory.create_batch(n, municipality=world.municipality),
    )


def test_library_search_queries_do_not_grow_with_rows(world, client_for):
    assert_constant(
        client_for(world.consultant),
        "/directory/libraries/?q=bibliotek&county=" + str(world.county.pk),
        lambda n: LibraryFactory.create_batch(n, municipality=world.municipality),
    )


def test_person_list_queries_do_not_grow_with_rows(world, client_for):
    organisation = OrganisationFactory.create(municipality=world.municipality)

    def add_people(n: int) -> None:
        for _ in range(n):
            role = LibraryRoleFactory.create(library=world.library, role=LibraryRoleKind.STAFF)
            LibraryRoleFactory.create(person=role.person, library=world.other_library)
            PersonFactory.create(organisation=organisation)

    assert_constant(client_for(world.consultant), "/directory/people/", add_people)


def test_directory_index_queries_do_not_grow_with_rows(world, client_for):
    def add_places(n: int) -> None:
        for _ in range(n):
            LibraryFactory.create(municipality=MunicipalityFactory.create(county=world.county))

    assert_constant(client_for(None), "/directory/?q=Kommune", add_places)


def test_county_page_queries_do_not_grow_with_rows(world, client_for):
    def add_places(n: int) -> None:
        for _ in range(n):
            LibraryFactory.create(municipality=MunicipalityFactory.create(county=world.county))
            LibraryFactory.create(municipality=None, county=world.county, kind="hospital")

    assert_constant(client_for(None), "/directory/no/31/", add_places)


def test_municipality_page_queries_do_not_grow_with_rows(world, client_for):
    def add_rows(n: int) -> None:
        LibraryFactory.create_batch(n, municipality=world.municipality)
        OrganisationFactory.create_batch(n, municipality=world.municipality)

    assert_constant(client_for(None), "/directory/municipalities/no/3107/", add_rows)


def test_organisation_list_queries_do_not_grow_with_rows(world, client_for):
    assert_constant(
        client_for(None),
        "/directory/organisations/",
        lambda n: OrganisationFactory.create_batch(n, municipality=world.municipality),
    )


def test_library_page_with_its_people_queries_do_not_grow_with_rows(world, client_for):
    assert_constant(
        client_for(world.consultant),
        f"/directory/libraries/{world.library.pk}/",
        lambda n: LibraryRoleFactory.create_batch(n, library=world.library),
    )


def test_organisation_page_queries_do_not_grow_with_rows(world, client_for):
    organisation = OrganisationFactory.create(municipality=world.municipality)
    assert_constant(
        client_for(world.consultant),
        f"/directory/organisations/{organisation.pk}/",
        lambda n: PersonFactory.create_batch(n, organisation=organisation),
    )


def test_audit_log_queries_do_not_grow_with_rows(world, client_for):
    def add_entries(n: int) -> None:
        for i in range(n):
            AuditEntry.objects.create(
                action="directory.library.updated",
                actor=world.consultant,
                agency=world.agency,
                target_repr=f"Bibliotek {i}",
            )

    assert_constant(client_for(world.admin), "/staff/audit/", add_entries)


def test_team_page_queries_do_not_grow_with_rows(world, client_for):
    def add_members(n: int) -> None:
        start = TeamMember.objects.count()
        for i in range(start, start + n):
            TeamMember.objects.create(
                agency=world.agency, name=f"Rådgiver {i}", email=f"r{i}@ostfold.example"
            )

    assert_constant(client_for(None), "/team/", add_members)


def test_api_library_list_queries_do_not_grow_with_rows(world, client_for):
    assert_constant(
        client_for(None),
        "/api/directory/libraries?limit=100",
        lambda n: LibraryFactory.create_batch(n, municipality=world.municipality),
    )
