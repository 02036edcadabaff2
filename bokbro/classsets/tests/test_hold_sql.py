"""The booking rule's batch of SQL (classsets/hold_sql.py): it names every column it inserts,
and a booking it holds is audited as every other write is. That it decides as the rule says is
the property test's (test_property.py) and the race tests' (test_concurrency.py) business."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bokbro.classsets import hold_sql
from bokbro.classsets.models import Booking
from bokbro.classsets.tests.conftest import book
from bokbro.core.models import AuditEntry


def _columns(sql: str, table: str) -> set[str]:
    found = re.search(rf"INSERT INTO {table} \((.*?)\)", sql, re.S)
    assert found, sql
    return {c.strip() for c in found[1].split(",")}


@pytest.mark.parametrize(
    ("model", "sql"), [(Booking, hold_sql.INSERT), (AuditEntry, hold_sql.AUDIT)]
)
def test_the_inserts_name_every_column(model: Any, sql: str) -> None:
    """A field added to the model without a value here fails (no column follows the table's
    live list silently)."""
    meta = model._meta
    columns = {f.column for f in meta.concrete_fields if not f.primary_key}
    assert _columns(sql, meta.db_table) == columns


def test_a_held_booking_is_audited_like_every_write(cs: Any) -> None:
    booking = book(cs, cs.title, copies=12)
    entry = AuditEntry.objects.get(action="classsets.booking.created")
    assert (entry.agency, entry.actor, entry.target_type, entry.target_id) == (
        cs.agency,
        None,
        "classsets.booking",
        str(booking.pk),
    )
    assert entry.target_repr == str(Booking.objects.get(pk=booking.pk))
    assert entry.data == {"copies": 12}
    assert entry.created_at == Booking.objects.get(pk=booking.pk).created_at
