"""The sending loop's "sent" marks (marks.py): on PostgreSQL a mark is sent without waiting for
its answer, one at a time, and the connection is usable again once it was read."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from bokbro.newsletter import marks as marks_module
from bokbro.newsletter.marks import Marks
from bokbro.newsletter.models import Delivery, DeliveryStatus
from bokbro.newsletter.services import recipients
from bokbro.newsletter.tests.helpers import make_issue, make_list, make_subscriber


@pytest.fixture
def deliveries(world):
    newsletter = make_list(world.agency)
    for address in ("a@example.org", "b@example.org", "c@example.org"):
        make_subscriber(newsletter, address)
    issue = make_issue(newsletter)
    recipients.issue_start(issue=issue)
    rows = list(issue.deliveries.order_by("pk"))
    Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
        claimed_by="loop-1", claimed_at=timezone.now(), attempts=1
    )
    return rows


def test_marks_set_the_rows_sent_and_free_their_claim(deliveries):
    marks = Marks()
    at = timezone.now()
    for row in deliveries:
        marks.add(row.pk, at=at)
    marks.wait()

    for row in deliveries:
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT
        assert row.sent_at == at
        assert row.attempts == 2
        assert (row.claimed_by, row.claimed_at, row.error) == ("", None, "")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="marks in flight: PostgreSQL")
def test_on_postgresql_a_mark_is_in_flight_until_read_and_the_connection_waits_for_it(
    deliveries,
):
    marks = Marks()
    marks.add(deliveries[0].pk, at=timezone.now())
    assert marks.in_flight == deliveries[0].pk
    # Another statement now would be refused by psycopg: the loop reads the answer first.
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    marks.wait()

    assert marks.in_flight is None
    assert Delivery.objects.get(pk=deliveries[0].pk).status == DeliveryStatus.SENT


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="marks in flight: PostgreSQL")
def test_on_postgresql_a_mark_the_server_refuses_is_reported_by_the_next_wait(
    deliveries, monkeypatch
):
    # A statement the server refuses (a column that does not exist) stands for any failure.
    monkeypatch.setattr(marks_module, "_MARK_SENT_PQ", "UPDATE newsletter_delivery SET x = $1")
    marks = Marks()
    marks.add(deliveries[0].pk, at=timezone.now())

    with pytest.raises(DatabaseError, match=f"delivery {deliveries[0].pk} sent failed"):
        marks.wait()
    assert marks.in_flight is None
