"""Refusals decided from the title's last read in this process (classsets/refusals.py): a storm's
refused requests make no query, copies given back are bookable at once, another process's change
is seen within the second, and a remembered read never books a copy."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.classsets import refusals, services
from bokbro.classsets.models import Booking, BookingStatus, ClassSet
from bokbro.classsets.selectors import booked_per_day
from bokbro.classsets.tests.conftest import make_school, next_monday
from bokbro.classsets.tests.test_api import body_for
from bokbro.classsets.tests.test_api import post as api_post


def post(client: Any, cs: Any, copies: int, **overrides: Any) -> Any:
    return api_post(client, body_for(cs, copies=copies) | overrides)


def queries_of(action: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as context:
        answer = action()
    return answer, len(context.captured_queries)


def test_a_refusal_for_the_same_title_is_answered_without_a_query(cs: Any, client_for: Any) -> None:
    other = make_school(cs, "Trosvik skole")
    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    first = post(client, cs, 10)
    assert first.status_code == 409
    # Another school of the region, asking for other copies: the title's read is recalled.
    again, queries = queries_of(lambda: post(client, cs, 8, school=other.pk))
    assert again.status_code == 409
    assert queries == 0
    assert again.json()["free"] == first.json()["free"] == 5
    assert again.json()["alternatives"] == first.json()["alternatives"]


def test_copies_given_back_here_are_bookable_at_once(cs: Any, client_for: Any) -> None:
    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    assert post(client, cs, 10).status_code == 409
    services.booking_cancel(booking=Booking.objects.get())
    assert post(client, cs, 10).status_code == 201


def test_a_larger_set_here_is_bookable_at_once(cs: Any, client_for: Any) -> None:
    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    assert post(client, cs, 10).status_code == 409
    services.class_set_save(actor=cs.consultant, agency=cs.agency, title=cs.title, copies=10)
    assert post(client, cs, 10).status_code == 201


def test_another_process_change_is_seen_within_the_second(
    cs: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cancellation in another process (an update this process gets no signal of) is missed
    for at most TITLE_SECONDS: a refusal as if the request had come that much earlier."""
    monkeypatch.setattr(refusals, "TITLE_SECONDS", 0.3)
    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    assert post(client, cs, 10).status_code == 409
    Booking.objects.update(status=BookingStatus.CANCELLED)  # no signal: as another process
    assert post(client, cs, 10).status_code == 409
    time.sleep(0.35)
    assert post(client, cs, 10).status_code == 201


def test_a_remembered_read_never_books_a_copy(cs: Any, client_for: Any) -> None:
    """Memory saying the copies are free only sends the request to be read again and decided
    under the title's lock: another process's booking it missed is counted."""
    client = client_for(None, language="en")
    assert post(client, cs, 5).status_code == 201  # remembers a read with 30 free
    start = next_monday()
    Booking.objects.bulk_create(  # as another process: no signal, nothing forgotten
        [
            Booking(
                agency=cs.agency,
                title=cs.title,
                copies=25,
                starts_on=start,
                ends_on=start + timedelta(days=25),
                school=cs.school,
                class_name="7A",
                contact_name="Per",
                contact_email="per@skole.example",
                delivery_library=cs.library,
                status=BookingStatus.CONFIRMED,
            )
        ]
    )
    refused = post(client, cs, 5)
    assert refused.status_code == 409
    assert refused.json()["free"] == 0
    windows = Booking.objects.values_list("starts_on", "ends_on", "copies")
    assert max(booked_per_day(list(windows), start, start + timedelta(days=25))) == 30


def test_a_school_or_library_outside_the_region_is_named_while_a_refusal_is_remembered(
    cs: Any, client_for: Any
) -> None:
    from bokbro.directory.models import Municipality

    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    assert post(client, cs, 10).status_code == 409
    swedish = make_school(cs, "Gröna skolan", municipality=Municipality.objects.get(code="0683"))
    outside = post(client, cs, 10, school=swedish.pk)
    assert outside.status_code == 422
    assert "school" in json.dumps(outside.json())
    library = post(client, cs, 10, delivery_library=cs.swedish_library.pk)
    assert library.status_code == 422
    # A school just added by the agency is in the region at once.
    added = make_school(cs, "Nye Gressvik skole")
    assert post(client, cs, 10, school=added.pk).status_code == 409
    assert ClassSet.objects.filter(title=cs.title).count() == 1


def test_a_busy_process_keeps_a_bounded_number_of_reads(
    cs: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many titles and windows in a long-lived worker: the kept reads stay under MAX_READS, and
    a refusal still comes from memory right after the purge."""
    monkeypatch.setattr(refusals, "MAX_READS", 5)
    client = client_for(None, language="en")
    assert post(client, cs, 25).status_code == 201
    start = next_monday()
    for weeks in range(8):  # eight windows, eight reads
        first = start + timedelta(weeks=weeks + 1)
        answer = post(
            client,
            cs,
            10,
            **{"from": first.isoformat(), "to": (first + timedelta(days=4)).isoformat()},
        )
        assert answer.status_code in (201, 409)
        assert len(refusals._reads) <= 5
    assert post(client, cs, 10).status_code == 409
    again, queries = queries_of(lambda: post(client, cs, 10))
    assert again.status_code == 409 and queries == 0
