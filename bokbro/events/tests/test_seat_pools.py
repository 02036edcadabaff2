"""Seats kept for groups: "2 seats for Fredrikstad, 2 for Sarpsborg", the rest open to all, and
every unused group seat open to all from a date (services/seats.py, registration_sql.py)."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from bokbro.core.models import AuditEntry
from bokbro.directory.models import Library, LibraryKind, Municipality
from bokbro.events.models import Event, Registration, RegistrationStatus, SeatPool
from bokbro.events.periodic import group_seats_open
from bokbro.events.services import seat_groups, seats
from bokbro.events.services.events import event_copy, event_update
from bokbro.events.services.places import (
    registration_cancel,
    registration_give_extra_seat,
    registration_move_from_waiting_list,
)
from bokbro.events.services.registrations import (
    EventFull,
    RegistrationError,
    registration_create,
)
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def halden(world: Any) -> Library:
    municipality = Municipality.objects.create(
        country="NO", code="3101", name="Halden", county=world.county, population=31000
    )
    return Library.objects.create(
        name="Halden bibliotek", kind=LibraryKind.MAIN, municipality=municipality
    )


def pool(world: Any, event: Event, name: str, capacity: int, **members: Any) -> SeatPool:
    return seats.seat_pool_create(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        data=seats.PoolData(
            name=name,
            capacity=capacity,
            municipalities=members.get("municipalities", []),
            libraries=members.get("libraries", []),
        ),
    )


_count = 0


def register(event: Event, library: Library | None) -> Registration:
    global _count
    _count += 1
    return registration_create(
        event=event, name=f"Deltaker {_count}", email=f"p{_count}@example.org", library=library
    )


@pytest.fixture
def event(world: Any) -> Event:
    """5 seats: 2 kept for Fredrikstad, 2 for Sarpsborg's library, 1 open to all."""
    event = make_event(world.agency, capacity=5)
    pool(world, event, "Fredrikstad", 2, municipalities=[world.municipality])
    pool(world, event, "Sarpsborg", 2, libraries=[world.other_library])
    return event


def test_a_library_outside_the_groups_gets_only_the_open_seat(world, event, halden):
    assert register(event, halden).status == CONFIRMED
    # Four seats are free, but all are kept for the groups.
    second = register(event, halden)
    assert second.status == WAITING
    assert seats.open_seats_left(Event.objects.get(pk=event.pk)) == 0
    # The groups' people still get their seats.
    assert [register(event, world.library).status for _ in range(2)] == [CONFIRMED] * 2
    assert [register(event, world.other_library).status for _ in range(2)] == [CONFIRMED] * 2
    assert register(event, world.library).status == WAITING
    event.refresh_from_db()
    assert event.seats_taken == 5
    assert {p.name: p.taken for p in event.seat_pools.all()} == {"Fredrikstad": 2, "Sarpsborg": 2}


def test_a_full_group_takes_the_open_seats(world, event, halden):
    statuses = [register(event, world.library).status for _ in range(4)]
    # Two kept seats, then the one open seat, then the waiting list: Sarpsborg's stay kept.
    assert statuses == [CONFIRMED, CONFIRMED, CONFIRMED, WAITING]
    assert register(event, halden).status == WAITING
    assert register(event, world.other_library).status == CONFIRMED
    kept = Registration.objects.filter(event=event, seat_pool__name="Fredrikstad").count()
    assert kept == 2


def test_someone_without_a_library_counts_as_outside_the_groups(world, event):
    assert register(event, None).status == CONFIRMED
    assert register(event, None).status == WAITING


def test_a_freed_group_seat_goes_to_the_first_waiting_person_of_that_group(world, event, halden):
    register(event, halden)
    fredrikstad = [register(event, world.library) for _ in range(2)]
    outsider_waiting = register(event, halden)
    member_waiting = register(event, world.library)
    assert (outsider_waiting.status, member_waiting.status) == (WAITING, WAITING)

    registration_cancel(registration=fredrikstad[0])
    outsider_waiting.refresh_from_db()
    member_waiting.refresh_from_db()
    # Halden's person was first in the queue, but the seat is Fredrikstad's.
    assert outsider_waiting.status == WAITING
    assert member_waiting.status == CONFIRMED
    assert member_waiting.seat_pool is not None and member_waiting.seat_pool.name == "Fredrikstad"


def test_after_the_date_unused_group_seats_open_and_the_waiting_list_moves_up(world, event, halden):
    register(event, halden)
    waiting = [register(event, halden) for _ in range(3)]
    assert {r.status for r in waiting} == {WAITING}
    seat_groups.group_seats_until_set(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        until=timezone.now() + timedelta(days=2),
    )
    # The periodic work finds the event once the moment has passed, and only then.
    assert group_seats_open() == 0
    # Two days later (the moment moved back instead of the clock forward):
    Event.objects.filter(pk=event.pk).update(
        group_seats_until=timezone.now() - timedelta(minutes=1)
    )
    assert group_seats_open() == 3
    assert group_seats_open() == 0  # once
    assert [Registration.objects.get(pk=r.pk).status for r in waiting] == [CONFIRMED] * 3
    assert AuditEntry.objects.filter(action="events.seat_pool.opened").count() == 1


def test_a_date_in_the_past_opens_the_seats_at_once(world, event, halden):
    register(event, halden)
    waiting = register(event, halden)
    seat_groups.group_seats_until_set(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        until=timezone.now() - timedelta(minutes=1),
    )
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED
    # A newcomer now gets any free seat too.
    assert register(event, halden).status == CONFIRMED


def test_the_sql_rule_and_the_python_rule_agree(world, halden):
    """For random groups and registrations, the batch's answer equals `seat_for` asked just
    before it (the two implementations of one rule)."""
    rng = random.Random(7)
    libraries = [world.library, world.other_library, halden, None]
    for round_ in range(6):
        event = make_event(world.agency, capacity=rng.randint(3, 8))
        pool(world, event, "F", rng.randint(1, 2), municipalities=[world.municipality])
        if rng.random() < 0.5:
            pool(world, event, "S", 1, libraries=[world.other_library])
        if rng.random() < 0.3:
            event_update(
                actor=world.consultant, agency=world.agency, event=event, quota_per_library=2
            )
        for _ in range(12):
            library = rng.choice(libraries)
            event.refresh_from_db()
            expected = seats.seat_for(event, library)
            registration = register(event, library)
            assert (registration.status == CONFIRMED) == expected.free, (round_, library)
            assert registration.seat_pool_id == (expected.pool.pk if expected.pool else None)
        event.refresh_from_db()
        assert event.seats_taken <= event.capacity
        for p in event.seat_pools.all():
            held = Registration.objects.filter(seat_pool=p, holds_seat=True).count()
            assert held == p.taken <= p.capacity


def test_a_group_cannot_keep_more_seats_than_are_free_outside_the_groups(world, event, halden):
    register(event, halden)  # the one open seat is taken
    with pytest.raises(seats.SeatPoolError, match="Only 0 seats are free"):
        pool(world, event, "Halden", 1, libraries=[halden])
    with pytest.raises(
        RegistrationError,
        match=re.escape("Seats taken: 1, kept for groups: 4. The capacity cannot be lower than 5."),
    ):
        event_update(actor=world.consultant, agency=world.agency, event=event, capacity=4)
    event_update(actor=world.consultant, agency=world.agency, event=event, capacity=6)
    with pytest.raises(seats.SeatPoolError, match="Only 1 seat is free outside the groups"):
        pool(world, event, "Halden", 2, libraries=[halden])
    assert pool(world, event, "Halden", 1, libraries=[halden]).capacity == 1


def test_a_group_keeps_at_least_the_seats_its_people_took(world, event):
    register(event, world.library)
    fredrikstad = event.seat_pools.get(name="Fredrikstad")
    with pytest.raises(seats.SeatPoolError, match="1 of the group's seats is taken"):
        seat_groups.seat_pool_update(
            actor=world.consultant,
            agency=world.agency,
            pool=fredrikstad,
            data=seats.PoolData(
                name="Fredrikstad", capacity=0, municipalities=[world.municipality], libraries=[]
            ),
        )


def test_a_library_belongs_to_one_group_only(world, event):
    with pytest.raises(seats.SeatPoolError, match="already belong to the group “Fredrikstad”"):
        pool(world, event, "Storbyen", 1, libraries=[world.library])


def test_removing_a_group_keeps_its_peoples_seats(world, event, halden):
    members = [register(event, world.library) for _ in range(2)]
    register(event, halden)
    waiting = register(event, halden)
    seat_groups.seat_pool_delete(
        actor=world.consultant, agency=world.agency, pool=event.seat_pools.get(name="Fredrikstad")
    )
    assert [Registration.objects.get(pk=r.pk).status for r in members] == [CONFIRMED] * 2
    assert Registration.objects.get(pk=members[0].pk).seat_pool is None
    # Fredrikstad's two kept seats were used; Sarpsborg keeps two: nothing opens for Halden.
    assert Registration.objects.get(pk=waiting.pk).status == WAITING


def test_staff_seat_from_the_waiting_list_respects_the_groups(world, event, halden):
    register(event, halden)
    waiting = register(event, halden)
    with pytest.raises(EventFull):
        registration_move_from_waiting_list(registration=waiting, actor=world.consultant)
    # An extra seat raises the capacity past the kept seats.
    seated = registration_give_extra_seat(registration=waiting, actor=world.consultant)
    assert seated.status == CONFIRMED
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (6, 2)
    assert seats.reserved(event) == 4


def test_a_copied_event_keeps_its_groups_empty(world, event):
    register(event, world.library)
    seat_groups.group_seats_until_set(
        actor=world.consultant,
        agency=world.agency,
        event=event,
        until=event.starts_at - timedelta(days=7),
    )
    event.refresh_from_db()
    copy = event_copy(actor=world.consultant, agency=world.agency, event=event, shift_days=7)
    assert [(p.name, p.capacity, p.taken) for p in copy.seat_pools.all()] == [
        ("Fredrikstad", 2, 0),
        ("Sarpsborg", 2, 0),
    ]
    copy.refresh_from_db()
    assert copy.group_seats_until == event.group_seats_until + timedelta(days=7)
    assert list(copy.seat_pools.get(name="Sarpsborg").libraries.all()) == [world.other_library]


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1 of 2 free", "2 of 2 free"),
        ("nb", "1 av 2 ledig", "2 av 2 ledige"),
        ("nn", "1 av 2 ledig", "2 av 2 ledige"),
        ("sv", "1 av 2 ledig", "2 av 2 lediga"),
    ],
)
def test_the_public_page_says_how_many_seats_each_group_has_left(
    world, event, client_for, language, one, two
):
    register(event, world.library)
    client = client_for(None, host="ostfold.testserver", language=language)
    text = client.get(f"/events/{event.pk}/").content.decode()
    assert f"<li>Fredrikstad: {one}</li>" in text
    assert f"<li>Sarpsborg: {two}</li>" in text


def test_the_organiser_keeps_seats_for_a_group_on_the_staff_page(world, halden, client_for):
    event = make_event(world.agency, capacity=10)
    client = client_for(world.consultant, host="ostfold.testserver", language="en")
    url = f"/staff/events/{event.pk}/seats/"
    assert "No seats are kept for groups" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Fredrikstad", "capacity": "4", "municipalities": [world.municipality.pk]}
    )
    assert response.status_code == 302
    created = event.seat_pools.get()
    assert (created.name, created.capacity) == ("Fredrikstad", 4)

    # The same library twice, and more seats than exist: the form says why, nothing saved.
    response = client.post(url, {"name": "Byene", "capacity": "2", "libraries": [world.library.pk]})
    assert response.status_code == 400
    assert "already belong to the group “Fredrikstad”" in response.content.decode()
    response = client.post(url, {"name": "Halden", "capacity": "7", "libraries": [halden.pk]})
    assert response.status_code == 400
    assert "Only 6 seats are free outside the groups" in response.content.decode()
    response = client.post(url, {"name": "Tom", "capacity": "1"})
    assert "Choose at least one municipality or library" in response.content.decode()
    assert event.seat_pools.count() == 1

    edit = f"/staff/events/{event.pk}/seats/{created.pk}/"
    assert (
        client.post(
            edit,
            {"name": "Fredrikstad", "capacity": "3", "municipalities": [world.municipality.pk]},
        ).status_code
        == 302
    )
    assert event.seat_pools.get().capacity == 3
    assert client.post(f"{url}until/", {"group_seats_until": "2031-05-01T12:00"}).status_code == 302
    event.refresh_from_db()
    assert timezone.localtime(event.group_seats_until).strftime("%Y-%m-%d %H:%M") == (
        "2031-05-01 12:00"
    )
    assert client.post(f"{edit}delete/").status_code == 302
    assert not event.seat_pools.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"events.seat_pool.created", "events.seat_pool.updated"} <= actions
