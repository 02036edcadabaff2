"""Numbers, dates and texts have ranges, so no event can stop the periodic work (issue 13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bokbro.events import periodic
from bokbro.events.models import Event, Registration, Session
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event
from bokbro.events.tests.test_staff_events import form_data, future_day, session

pytestmark = pytest.mark.django_db


def ended_event(agency: Any, title: str) -> Event:
    event = make_event(agency, title=title, retention_months=1)
    registration_create(event=event, name=f"{title} deltaker", email=f"{title}@example.org")
    long_ago = timezone.now() - timedelta(days=400)
    Event.objects.filter(pk=event.pk).update(starts_at=long_ago, ends_at=long_ago)
    event.refresh_from_db()
    return event


def test_a_failing_event_is_named_and_the_good_one_is_still_anonymised(world, monkeypatch):
    good = ended_event(world.agency, "good")
    broken = ended_event(world.agency, "broken")
    real_audit_log = periodic.audit_log

    def audit_log(**kwargs: Any) -> None:
        if kwargs["target"] == broken:
            raise OverflowError("date value out of range")
        real_audit_log(**kwargs)

    monkeypatch.setattr(periodic, "audit_log", audit_log)
    with pytest.raises(CommandError) as raised:
        call_command("periodic")

    assert f"events: anonymise registrations: Event {broken.pk}" in str(raised.value)
    assert not Registration.objects.filter(event=good, anonymised=False).exists()
    # The broken event's work was rolled back as a whole: its people are still there.
    assert Registration.objects.get(event=broken).name == "broken deltaker"
    assert Event.objects.get(pk=broken.pk).anonymised_at is None
    assert Event.objects.get(pk=good.pk).anonymised_at is not None


@pytest.mark.parametrize("months", [120, 10_000, 2**31 - 1])
def test_no_number_of_months_the_database_holds_overflows_the_anonymisation(months):
    ended = timezone.now() - timedelta(days=400)
    event = Event(ends_at=ended, retention_months=months)
    assert periodic.retention_over(event, timezone.now()) is False
    assert periodic.retention_over(event, ended + timedelta(days=30 * 120)) is (months == 120)


@pytest.mark.parametrize(
    "field, value",
    [
        ("retention_months", 0),
        ("retention_months", 121),
        ("capacity", 10_001),
        ("reminder_hours", 2**31 - 1),
        ("starts_at", timezone.now().replace(year=1999)),
    ],
)
def test_the_database_refuses_a_value_out_of_range(world, field, value):
    event = make_event(world.agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(**{field: value})


def test_the_database_refuses_a_session_in_the_year_2200(world):
    event = make_event(world.agency)
    far = timezone.now().replace(year=2200)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(event=event).update(starts_at=far, ends_at=far + timedelta(hours=1))


def test_the_event_form_refuses_numbers_out_of_range_with_messages(world, client_for):
    client = client_for(world.consultant, language="en")
    response = client.post(
        "/staff/events/new/",
        form_data(
            retention_months="2147483647",
            capacity="1000000",
            offer_hours="0",
            description="x" * 1_000_000,
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 120." in page
    assert "Ensure this value is less than or equal to 10000." in page
    assert "Ensure this value is greater than or equal to 1." in page
    assert "Ensure this value has at most 10000 characters (it has 1000000)." in page
    assert not Event.objects.exists()


def test_the_event_form_refuses_a_session_in_the_year_9999_in_norwegian(world, client_for):
    day = future_day().replace(year=9999)
    response = client_for(world.consultant, language="nb").post(
        "/staff/events/new/", form_data(sessions=[session(day)])
    )
    assert response.status_code == 200
    assert "Skriv en dato fra år 2000 til 2100." in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_brings_stored_values_into_their_ranges_before_the_checks(world):
    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0006_notification_outbox")])
    old = executor.loader.project_state([("events", "0006_notification_outbox")]).apps
    start = timezone.now().replace(year=1970)
    event = old.get_model("events", "Event").objects.create(
        agency_id=world.agency.pk,
        kind="course",
        title="Gammelt kurs",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=50_000,
        retention_months=2**31 - 1,
        reminder_hours=0,
        offer_hours=1,
    )
    old.get_model("events", "Session").objects.create(
        event_id=event.pk, starts_at=start, ends_at=start + timedelta(hours=3)
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    event = Event.objects.get(pk=event.pk)
    assert (event.capacity, event.retention_months) == (10_000, 120)
    session = Session.objects.get(event=event)
    assert session.starts_at.year == 2000 and session.ends_at - session.starts_at == timedelta(
        hours=3
    )
    assert event.ends_at - event.starts_at == timedelta(hours=3)


def test_a_copy_cannot_be_moved_past_the_year_2100(world, client_for):
    event = make_event(world.agency)
    late = timezone.now().replace(year=2095)
    Event.objects.filter(pk=event.pk).update(starts_at=late, ends_at=late + timedelta(hours=3))
    client = client_for(world.consultant, language="en")
    response = client.post(f"/staff/events/{event.pk}/copy/", {"shift_days": "3650"}, follow=True)
    page = response.content.decode()
    assert "Write a date from the year 2000 to 2100." in page and "[&#x27;" not in page
    assert Event.objects.count() == 1
