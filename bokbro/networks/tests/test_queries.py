"""The networks' lists read in a constant number of queries, however many rows they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person
from bokbro.networks import services
from bokbro.networks.tests.conftest import make_network

pytestmark = pytest.mark.django_db


def queries(client: Any, path: str) -> int:
    """The queries of one request, after a first one has warmed the caches (hosts, roles)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def add_members(world: Any, network: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        person = Person.objects.create(name=f"Medlem {i}", email=f"m{i}@example.org")
        LibraryRole.objects.create(
            person=person,
            library=world.library if i % 2 else world.other_library,
            role=LibraryRoleKind.STAFF,
        )
        services.member_set(
            actor=world.consultant,
            agency=world.agency,
            network=network,
            person=person,
            coordinator=False,
        )


def test_the_networks_member_lists_read_in_constant_queries(net, client_for):
    pk = net.network.pk
    pages = [f"/networks/{pk}/", f"/networks/{pk}/members/", f"/networks/{pk}/manage/"]
    kari = client_for(net.consultant)
    add_members(net, net.network, 0, 2)
    few = [queries(kari, page) for page in pages]
    add_members(net, net.network, 2, 15)
    assert [queries(kari, page) for page in pages] == few


def test_the_list_of_networks_reads_in_constant_queries(world, client_for):
    client = client_for(None)
    make_network(world, name="A")
    few = queries(client, "/networks/")
    for i in range(8):
        make_network(world, name=f"N{i}")
    assert queries(client, "/networks/") == few
