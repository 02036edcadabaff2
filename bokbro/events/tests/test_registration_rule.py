"""The registration rule as a table, run through both ways the one implementation is run
(events/services/registration_sql.py): on its own (PostgreSQL: one pipeline, its own
transaction) and inside a caller's transaction (a savepoint). On SQLite both are the same
sequence of statements in an IMMEDIATE transaction; CI runs this file on both databases."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from bokbro.core.models import AuditEntry
from bokbro.directory.models import Library, LibraryKind
from bokbro.events.models import Event, EventStatus, LibraryQuotaUse, Registration
from bokbro.events.models import RegistrationStatus as S
from bokbro.events.services import registration_sql
from bokbro.events.services.registrations import (
    AlreadyRegistered,
    EventFull,
    RegistrationClosed,
    registration_create,
)
from bokbro.events.tests.conftest import make_event

MODES = ["alone", "in_caller_transaction"]


@pytest.fixture
def world(transactional_db):  # transactional: "alone" must really run outside a transaction
    from bokbro.conftest import make_world

    return make_world()


def block(mode: str) -> AbstractContextManager[Any]:
    return transaction.atomic() if mode == "in_caller_transaction" else nullcontext()


def register(mode: str, event: Event, email: str, **kwargs: Any) -> Registration:
    with block(mode):
        return registration_create(event=event, name=email.split("@")[0], email=email, **kwargs)


def refused(mode: str, event: Event, email: str, **kwargs: Any) -> type[Exception]:
    with pytest.raises(Exception) as caught:
        register(mode, event, email, **kwargs)
    return caught.type


def counters(event: Event) -> tuple[int, int]:
    event.refresh_from_db()
    return event.seats_taken, event.waiting_counter


@pytest.mark.parametrize("mode", MODES)
def test_seats_then_the_waiting_list_in_order_then_full(world, mode):
    event = make_event(world.agency, capacity=2)
    first = register(mode, event, "a@example.org")
    assert (first.status, first.holds_seat, first.waiting_position) == (S.CONFIRMED, True, None)
    assert first.confirmed_at == first.created_at is not None
    last_seat = register(mode, event, "b@example.org")
    assert last_seat.status == S.CONFIRMED
    waiting = [register(mode, event, f"w{i}@example.org") for i in range(2)]
    assert [(r.status, r.holds_seat, r.waiting_position) for r in waiting] == [
        (S.WAITING, False, 1),
        (S.WAITING, False, 2),
    ]
    assert counters(event) == (2, 2)
    stored = {r.email: r for r in Registration.objects.filter(event=event)}
    assert stored["b@example.org"].created_at <= stored["w0@example.org"].created_at
    assert stored["w1@example.org"].waiting_position == 2
    assert stored["a@example.org"].confirmed_at == stored["a@example.org"].created_at

    no_list = make_event(world.agency, capacity=1, waiting_list=False)
    register(mode, no_list, "a@example.org")
    assert refused(mode, no_list, "b@example.org") is EventFull
    assert counters(no_list) == (1, 0)
    assert Registration.objects.filter(event=no_list).count() == 1


@pytest.mark.parametrize("mode", MODES)
def test_approval_holds_a_seat_pending_the_manager(world, mode):
    event = make_event(world.agency, capacity=1, manager_approval=True)
    pending = register(mode, event, "a@example.org")
    assert (pending.status, pending.holds_seat, pending.confirmed_at) == (
        S.PENDING_APPROVAL,
        True,
        None,
    )
    assert register(mode, event, "b@example.org").status == S.WAITING
    assert counters(event) == (1, 1)


@pytest.mark.parametrize("mode", MODES)
def test_a_second_registration_of_an_address_writes_nothing(world, mode):
    event = make_event(world.agency, capacity=5)
    first = register(mode, event, "Aisha@Example.org")
    entries = AuditEntry.objects.count()
    with pytest.raises(AlreadyRegistered) as caught:
        register(mode, event, "aisha@example.ORG")
    assert caught.value.registration == first
    assert counters(event) == (1, 0)
    assert AuditEntry.objects.count() == entries
    assert register(mode, event, "other@example.org").status == S.CONFIRMED


@pytest.mark.parametrize("mode", MODES)
def test_the_library_quota_and_its_row(world, mode):
    libraries = [
        Library.objects.create(
            name=f"B{i}", kind=LibraryKind.BRANCH, municipality=world.municipality
        )
        for i in range(2)
    ]
    event = make_event(world.agency, capacity=10, quota_per_library=1)
    assert register(mode, event, "a@example.org", library=libraries[0]).status == S.CONFIRMED
    assert register(mode, event, "b@example.org", library=libraries[0]).status == S.WAITING
    assert register(mode, event, "c@example.org", library=libraries[1]).status == S.CONFIRMED
    assert register(mode, event, "d@example.org").status == S.CONFIRMED  # no library, no quota
    uses = {u.library_id: (u.quota, u.taken) for u in LibraryQuotaUse.objects.filter(event=event)}
    assert uses == {libraries[0].pk: (1, 1), libraries[1].pk: (1, 1)}
    assert counters(event) == (3, 1)

    unlimited = make_event(world.agency, capacity=10)
    register(mode, unlimited, "a@example.org", library=libraries[0])
    register(mode, unlimited, "b@example.org", library=libraries[0])
    use = LibraryQuotaUse.objects.get(event=unlimited)
    assert (use.quota, use.taken) == (registration_sql.UNLIMITED_QUOTA, 2)


def _states(now: Any) -> list[tuple[str, dict[str, Any]]]:
    """Changes made after the caller read the event, and `registration_state()` after each."""
    return [
        ("draft", {"status": EventStatus.DRAFT}),
        ("cancelled", {"status": EventStatus.CANCELLED}),
        ("not_yet", {"registration_opens_at": now + timedelta(minutes=1)}),
        ("closed", {"registration_closes_at": now - timedelta(minutes=1)}),
        ("closed", {"starts_at": now - timedelta(hours=2), "ends_at": now - timedelta(minutes=1)}),
        (
            "open",
            {
                "registration_opens_at": now - timedelta(minutes=1),
                "registration_closes_at": now + timedelta(minutes=1),
            },
        ),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_under_the_lock_open_means_what_registration_state_says(world, mode):
    """The caller read the event while it was open; staff changed it before the lock: the
    batch's check under the lock answers as `Event.registration_state()` does."""
    now = timezone.now()
    for state, change in _states(now):
        event = make_event(world.agency, capacity=5)
        Event.objects.filter(pk=event.pk).update(**change)
        assert Event.objects.get(pk=event.pk).registration_state(now) == state
        if state == "open":
            assert register(mode, event, "a@example.org", now=now).status == S.CONFIRMED
        else:
            assert refused(mode, event, "a@example.org", now=now) is RegistrationClosed, state
            assert counters(event) == (0, 0)
            # Staff may register someone whatever the state.
            staff = register(mode, event, "b@example.org", now=now, staff_override=True)
            assert staff.status == S.CONFIRMED


@pytest.mark.parametrize("mode", MODES)
def test_a_deleted_event_is_not_found(world, mode):
    event = make_event(world.agency)
    Event.objects.filter(pk=event.pk).delete()
    assert refused(mode, event, "a@example.org") is Event.DoesNotExist


@pytest.mark.parametrize("mode", MODES)
def test_audit_entry_and_one_mail_each(world, mode):
    event = make_event(world.agency, capacity=1)
    mail.outbox.clear()
    seat = register(mode, event, "a@example.org", registered_by=world.consultant)
    wait = register(mode, event, "b@example.org")
    entries = AuditEntry.objects.filter(
        action="events.registration.created", target_id=str(event.pk)
    )
    got = sorted(
        (e.data["registration_id"], e.data["status"], e.actor_id, e.agency_id, e.target_type)
        for e in entries
    )
    assert got == [
        (seat.pk, S.CONFIRMED, world.consultant.pk, world.agency.pk, "events.event"),
        (wait.pk, S.WAITING, None, world.agency.pk, "events.event"),
    ]
    assert entries.get(data__registration_id=seat.pk).created_at == seat.created_at
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert not Registration.objects.exclude(notice="").exists()


def test_the_inserts_name_every_column():
    """A new field on Registration or AuditEntry must be given a value in
    events/services/registration_sql.py (the statements list their columns)."""

    def listed(sql: str, table: str) -> set[str]:
        found = re.search(rf"INSERT INTO {table} \((.*?)\)", sql, re.S)
        assert found, table
        return {c.strip() for c in found.group(1).split(",")}

    for model, sql in [
        (Registration, registration_sql.INSERT_REGISTRATION),
        (AuditEntry, registration_sql.AUDIT),
    ]:
        columns = {f.column for f in model._meta.concrete_fields if not f.primary_key}
        assert listed(sql, model._meta.db_table) == columns
