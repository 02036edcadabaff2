"""The lists read in a constant number of queries, however many rows they show."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.publications import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def queries(client: Any, path: str) -> int:
    """The queries of one request, after a first one has warmed the caches (hosts, roles)."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def add(world: Any, n: int) -> None:
    for i in range(n):
        services.publication_save(
            actor=world.consultant,
            agency=world.agency,
            data=services.PublicationData(
                title=f"Rapport {i}",
                year=2020 + i % 5,
                kind="report",
                language="nb",
                file=ContentFile(PDF, "r.pdf"),
                publish=True,
            ),
        )
        services.scan_item_save(
            actor=world.consultant,
            agency=world.agency,
            data=services.ScanItemData(
                url="https://example.org/", title=f"Sak {i}", tags=f"Tema {i % 3}, Felles"
            ),
        )


@pytest.mark.parametrize("path", ["/publications/", "/publications/scanning/"])
def test_the_public_lists_read_in_constant_queries(world, client_for, path):
    client = client_for(None)
    add(world, 2)
    few = queries(client, path)
    add(world, 12)
    assert queries(client, path) == few
