"""Job shadowing's lists read in a constant number of queries, however many rows they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person
from bokbro.shadowing.tests.factories import accepted_stay, make_offer

pytestmark = pytest.mark.django_db


def queries(client: Any, path: str) -> int:
    """The queries of one request, after a first one has warmed the caches (hosts, roles)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def add_guests(world: Any, offer: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        person = Person.objects.create(name=f"Gjest {i}", email=f"g{i}@example.org")
        LibraryRole.objects.create(person=person, library=world.library, role=LibraryRoleKind.STAFF)
        accepted_stay(world, offer, person, world.library, guest_report=f"Rapport {i}")


def test_the_offers_read_in_constant_queries(world, client_for):
    client = client_for(None)
    make_offer(world, title="A")
    few = queries(client, "/shadowing/")
    for i in range(8):
        make_offer(world, title=f"O{i}", host_library=world.library if i % 2 else None)
    assert queries(client, "/shadowing/") == few


def test_the_hosts_and_the_agencys_lists_read_in_constant_queries(world, client_for):
    offer = make_offer(world, days=-20, title="Forbi", places=40)
    kari = client_for(world.consultant)
    pages = [f"/shadowing/{offer.pk}/manage/", "/shadowing/staff/", "/shadowing/mine/"]
    add_guests(world, offer, 0, 2)
    few = [queries(kari, page) for page in pages]
    add_guests(world, offer, 2, 15)
    assert [queries(kari, page) for page in pages] == few
