"""Seat limits hold under real parallel clients: threads with their own PostgreSQL connections
hit the registration service at the same moment (a barrier releases them together)."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from bokbro.core.models import AuditEntry
from bokbro.directory.models import Library, LibraryKind
from bokbro.events.models import Registration, RegistrationStatus, Session, SessionPlace
from bokbro.events.services.events import SessionData, event_update
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import (
    AlreadyRegistered,
    EventFull,
    SessionRemoved,
    registration_create,
)
from bokbro.events.tests.conftest import make_event

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
    ),
]


@pytest.fixture
def world(transactional_db):
    from bokbro.conftest import make_world

    return make_world()


def run_parallel(jobs: Sequence[Callable[[], Any]], workers: int = 20) -> list[Any]:
    """Run the jobs on `workers` threads, each with its own connection, released together."""
    results: list[Any] = [None] * len(jobs)
    barrier = threading.Barrier(workers)
    index_lock = threading.Lock()
    next_index = iter(range(len(jobs)))

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                with index_lock:
                    i = next(next_index, None)
                if i is None:
                    return
                try:
                    results[i] = jobs[i]()
                except Exception as error:
                    results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_200_parallel_registrations_for_40_seats_confirm_exactly_40(world):
    event = make_event(world.agency, capacity=40)
    jobs = [
        (lambda i=i: registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org"))
        for i in range(200)
    ]
    results = run_parallel(jobs, workers=25)
    assert not [r for r in results if isinstance(r, Exception)], results

    statuses = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses[RegistrationStatus.CONFIRMED] == 40
    assert statuses[RegistrationStatus.WAITING] == 160
    event.refresh_from_db()
    assert event.seats_taken == 40

    # Waiting positions are 1..160 without gaps, and every confirmed registration was made
    # before every waiting one (arrival order is the order the lock was granted).
    waiting = list(event.registrations.waiting())
    assert [r.waiting_position for r in waiting] == list(range(1, 161))
    last_confirmed = max(
        r.pk for r in event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    )
    confirmed_times = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert max(r.created_at for r in confirmed_times) <= min(r.created_at for r in waiting)
    assert last_confirmed  # the ids exist; order is asserted on times above


def test_clients_racing_for_the_last_seat_take_it_exactly_once(world):
    """The weakest point: one seat left, 30 clients released together, five times over."""
    for round_ in range(5):
        event = make_event(world.agency, capacity=40)
        for i in range(39):
            registration_create(event=event, name=f"S{i}", email=f"s{i}.{round_}@example.org")
        jobs = [
            (
                lambda i=i, event=event, round_=round_: registration_create(
                    event=event, name=f"L{i}", email=f"l{i}.{round_}@example.org"
                )
            )
            for i in range(30)
        ]
        results = run_parallel(jobs, workers=30)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert Counter(r.status for r in results) == {
            RegistrationStatus.CONFIRMED: 1,
            RegistrationStatus.WAITING: 29,
        }
        assert sorted(r.waiting_position for r in results if r.waiting_position) == list(
            range(1, 30)
        )
        event.refresh_from_db()
        assert (event.seats_taken, event.waiting_counter) == (40, 29)
        assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 40


def test_library_quota_holds_under_parallel_registrations(world):
    libraries = [
        Library.objects.create(
            name=f"Bibliotek {i}", kind=LibraryKind.BRANCH, municipality=world.municipality
        )
        for i in range(10)
    ]
    event = make_event(world.agency, capacity=40, quota_per_library=2)
    jobs = [
        (
            lambda i=i: registration_create(
                event=event, name=f"P{i}", email=f"q{i}@example.org", library=libraries[i % 10]
            )
        )
        for i in range(100)
    ]
    results = run_parallel(jobs, workers=20)
    assert not [r for r in results if isinstance(r, Exception)], results
    confirmed = Counter(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
            "library_id", flat=True
        )
    )
    assert sorted(confirmed.values()) == [2] * 10
    assert event.registrations.filter(status=RegistrationStatus.WAITING).count() == 80


def test_the_same_person_registers_once_under_parallel_double_clicks(world):
    event = make_event(world.agency, capacity=10)
    jobs = [
        (lambda: registration_create(event=event, name="Aisha", email="Aisha@Example.org"))
        for _ in range(20)
    ]
    results = run_parallel(jobs, workers=20)
    created = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, AlreadyRegistered)]
    assert len(created) == 1 and len(refused) == 19
    assert event.registrations.active().count() == 1


def test_parallel_cancellations_promote_each_waiting_person_exactly_once(world):
    event = make_event(world.agency, capacity=10)
    confirmed = [
        registration_create(event=event, name=f"C{i}", email=f"c{i}@example.org") for i in range(10)
    ]
    for i in range(15):
        registration_create(event=event, name=f"W{i}", email=f"w{i}@example.org")

    # Ten cancellations race, two attempts each (a double click on the cancel button).
    jobs = [(lambda r=r: registration_cancel(registration=r)) for r in confirmed for _ in range(2)]
    results = run_parallel(jobs, workers=20)
    assert not [r for r in results if isinstance(r, Exception)], results

    event.refresh_from_db()
    assert event.seats_taken == 10
    now_confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    assert sorted(r.name for r in now_confirmed) == sorted(f"W{i}" for i in range(10))
    assert [r.name for r in event.registrations.waiting()] == [f"W{i}" for i in range(10, 15)]
    # Exactly one promotion entry per promoted person in the audit log.
    from bokbro.core.models import AuditEntry

    promoted = Counter(
        e.data["registration_id"]
        for e in AuditEntry.objects.filter(action="events.registration.promoted")
    )
    assert len(promoted) == 10 and set(promoted.values()) == {1}


def test_without_a_waiting_list_the_rest_are_told_the_event_is_full(world):
    event = make_event(world.agency, capacity=5, waiting_list=False)
    jobs = [
        (lambda i=i: registration_create(event=event, name=f"P{i}", email=f"f{i}@example.org"))
        for i in range(30)
    ]
    results = run_parallel(jobs, workers=15)
    assert sum(isinstance(r, Registration) for r in results) == 5
    assert sum(isinstance(r, EventFull) for r in results) == 25


def test_a_registration_through_the_api_locks_only_inside_its_batch(world, client_for):
    """The hot path on PostgreSQL, with the production task queue: read the event, then the
    registration's batch (events/services/registration_sql.py: lock, decide and insert the
    registration with its notice in the outbox, count it, audit it), sent as one message; no
    other statement takes a lock. Only the first registration of a burst queues the task that
    sends the notices."""
    import json

    from django.test.utils import CaptureQueriesContext, override_settings
    from django_tasks_db.models import DBTaskResult

    event = make_event(world.agency, capacity=1)
    client = client_for(None)
    assert client.get(f"/api/events/{event.pk}").status_code == 200  # the agency is cached
    # A fresh connection, as a new web thread has: an earlier test's registrations on this one
    # (events/tests/test_api.py runs first) would have prepared the batch already.
    connection.close()
    url = f"/api/events/{event.pk}/registrations"
    database_queue = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }
    runs = []
    with override_settings(TASKS=database_queue):
        for person in ("a", "b"):
            with CaptureQueriesContext(connection) as queries:
                response = client.post(
                    url,
                    json.dumps(
                        {"name": person, "email": f"{person}@example.org", "organisation": "X"}
                    ),
                    "application/json",
                )
            assert response.status_code == 201
            runs.append([q["sql"] for q in queries.captured_queries])
    # The rate limits are two upserts before the batch, outside its lock: the client's (per
    # client address, per client address and event: two rows), then, once the form is valid,
    # the mails to the e-mail address typed (MAIL_RATE_PER_ADDRESS).
    for run in runs:
        rates = [sql for sql in run if sql.startswith('INSERT INTO "core_ratecount"')]
        assert len(rates) == 2 and all("ON CONFLICT" in sql for sql in rates)
        batch = next(i for i, sql in enumerate(run) if sql.startswith(("PREPARE", "EXECUTE")))
        assert all(run.index(sql) < batch for sql in rates)
    # The answer names a waiting person's place in the queue now: one COUNT after the batch,
    # outside its lock (only for "b", who waits).
    places = [[sql for sql in run if '"waiting_position" <' in sql] for run in runs]
    assert [len(found) for found in places] == [0, 1] and "FOR UPDATE" not in places[1][0]
    first, second = [
        [sql for sql in run if "core_ratecount" not in sql and '"waiting_position" <' not in sql]
        for run in runs
    ]
    # The first registration on a connection prepares the batch's statements (one message);
    # every registration then sends the batch as one message of EXECUTEs, so PostgreSQL has
    # all of it before it takes the lock. Nothing else takes a lock.
    assert [sql.startswith("PREPARE") for sql in first] == [False, True, False, False]
    assert first[1].count("PREPARE") == 4 and first[1].count("FOR UPDATE") == 1
    assert first[3].startswith('INSERT INTO "django_tasks_database_dbtaskresult"')
    for run in (first[:1] + first[2:3], second):
        assert run[0].startswith('SELECT e."id"')
        assert run[1].startswith("EXECUTE bokbro_") and run[1].count("EXECUTE") == 4
        assert len(run) == 2
    assert not [sql for sql in first + second if "FOR UPDATE" in sql and sql != first[1]]
    tasks = DBTaskResult.objects.filter(task_path__endswith="send_notices")
    assert tasks.count() == 1
    # Nobody signed in, on an event that asks for confirmation by e-mail (the default): the
    # seat is held, and the outbox holds the mail with the link that confirms it.
    assert dict(Registration.objects.filter(event=event).values_list("email", "notice")) == {
        "a@example.org": RegistrationStatus.HELD,
        "b@example.org": RegistrationStatus.WAITING,
    }


def test_groups_keep_their_seats_under_parallel_registrations(world):
    """10 seats: 4 kept for Fredrikstad, 3 for Sarpsborg's library, 3 open. 90 clients (30 from
    each group and 30 from a library in no group) released together, three times over."""
    from bokbro.directory.models import Municipality
    from bokbro.events.models import SeatPool
    from bokbro.events.services import seats

    halden = Library.objects.create(
        name="Halden bibliotek",
        kind=LibraryKind.MAIN,
        municipality=Municipality.objects.create(
            country="NO", code="3101", name="Halden", county=world.county
        ),
    )
    for round_ in range(3):
        event = make_event(world.agency, capacity=10)
        for name, capacity, members in (
            ("Fredrikstad", 4, {"municipalities": [world.municipality], "libraries": []}),
            ("Sarpsborg", 3, {"municipalities": [], "libraries": [world.other_library]}),
        ):
            seats.seat_pool_create(
                actor=world.consultant,
                agency=world.agency,
                event=event,
                data=seats.PoolData(name=name, capacity=capacity, **members),
            )
        libraries = [world.library, world.other_library, halden] * 30
        jobs = [
            (
                lambda i=i, library=library, event=event, round_=round_: registration_create(
                    event=event, name=f"G{i}", email=f"g{i}.{round_}@example.org", library=library
                )
            )
            for i, library in enumerate(libraries)
        ]
        results = run_parallel(jobs, workers=30)
        assert not [r for r in results if isinstance(r, Exception)], results
        confirmed = Counter(
            r.library.name for r in results if r.status == RegistrationStatus.CONFIRMED
        )
        event.refresh_from_db()
        assert event.seats_taken == sum(confirmed.values()) == 10
        # Each group has its kept seats; the three open seats went to whoever came first.
        assert confirmed["Fredrikstad bibliotek"] >= 4
        assert confirmed["Sarpsborg bibliotek"] >= 3
        assert confirmed["Halden bibliotek"] <= 3
        for pool in SeatPool.objects.filter(event=event):
            assert pool.taken == pool.capacity
            assert Registration.objects.filter(seat_pool=pool, holds_seat=True).count() == (
                pool.taken
            )


def test_the_last_group_seat_and_the_last_open_seat_go_to_exactly_two(world):
    """The weakest point: one kept seat and one open seat left; 30 of the group's people and
    30 from outside race for them."""
    from bokbro.directory.models import Municipality
    from bokbro.events.services import seats

    halden = Library.objects.create(
        name="Halden bibliotek",
        kind=LibraryKind.MAIN,
        municipality=Municipality.objects.create(
            country="NO", code="3101", name="Halden", county=world.county
        ),
    )
    for round_ in range(3):
        event = make_event(world.agency, capacity=6)
        seats.seat_pool_create(
            actor=world.consultant,
            agency=world.agency,
            event=event,
            data=seats.PoolData(
                name="Fredrikstad", capacity=3, municipalities=[world.municipality], libraries=[]
            ),
        )
        for i, library in enumerate([world.library, world.library, halden, halden]):
            registration_create(
                event=event, name=f"F{i}", email=f"f{i}.{round_}@example.org", library=library
            )
        jobs = [
            (
                lambda i=i, event=event, round_=round_: registration_create(
                    event=event,
                    name=f"R{i}",
                    email=f"r{i}.{round_}@example.org",
                    library=world.library if i % 2 else halden,
                )
            )
            for i in range(60)
        ]
        results = run_parallel(jobs, workers=30)
        assert not [r for r in results if isinstance(r, Exception)], results
        winners = [r for r in results if r.status == RegistrationStatus.CONFIRMED]
        assert len(winners) == 2
        # Whoever won the open seat, the kept seat went to Fredrikstad.
        assert any(r.library_id == world.library.pk for r in winners)
        event.refresh_from_db()
        assert event.seats_taken == 6
        assert event.seat_pools.get().taken == 3


def test_30_clients_choosing_a_workshop_with_5_seats_give_exactly_5_seats(world):
    event = make_event(world.agency, capacity=100)
    Session.objects.filter(event=event).update(capacity=5)
    workshop = event.sessions.get()
    jobs = [
        (
            lambda i=i: registration_create(
                event=event, name=f"P{i}", email=f"p{i}@example.org", sessions=[workshop]
            )
        )
        for i in range(30)
    ]
    results = run_parallel(jobs, workers=30)
    assert not [r for r in results if isinstance(r, Exception)], results

    places = SessionPlace.objects.filter(session=workshop)
    assert Counter(places.values_list("status", flat=True)) == {"seat": 5, "waiting": 25}
    positions = sorted(places.filter(status="waiting").values_list("waiting_position", flat=True))
    assert positions == list(range(1, 26))
    workshop.refresh_from_db()
    assert workshop.seats_taken == 5


def test_a_workshop_removed_while_clients_choose_it_tells_exactly_those_placed_in_it(world):
    """Staff remove the workshop while 20 clients register choosing it: each registration comes
    before the removal (placed, then told once) or after it (refused, nothing saved)."""
    event = make_event(world.agency, capacity=100, sessions=2)
    plenum, workshop = event.sessions.order_by("starts_at")
    Session.objects.filter(pk=workshop.pk).update(capacity=5)
    workshop.refresh_from_db()
    kept = [SessionData(starts_at=plenum.starts_at, ends_at=plenum.ends_at, session_id=plenum.pk)]

    def remove() -> Any:
        return event_update(
            actor=world.consultant,
            agency=world.agency,
            event=event,
            sessions=kept,
            remove_chosen={workshop.pk},
        )

    def choose(i: int) -> Any:
        return registration_create(
            event=event, name=f"P{i}", email=f"p{i}@example.org", sessions=[workshop], language="en"
        )

    jobs: list[Callable[[], Any]] = [functools.partial(choose, i) for i in range(20)]
    jobs.insert(10, remove)
    mail.outbox.clear()
    results = run_parallel(jobs, workers=21)
    removal = results.pop(10)
    assert not isinstance(removal, Exception), removal
    registered = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, SessionRemoved)]
    assert len(registered) + len(refused) == 20, results
    assert not Session.objects.filter(pk=workshop.pk).exists()
    assert not SessionPlace.objects.exists()
    assert set(Registration.objects.filter(event=event).values_list("email", flat=True)) == {
        r.email for r in registered
    }
    told = Counter(m.to[0] for m in mail.outbox if m.subject.startswith("A session is removed"))
    assert told == Counter(r.email for r in registered)
    audit = AuditEntry.objects.get(action="events.session.removed")
    assert audit.data["people"] == len(registered)


def test_10_clients_switching_into_a_workshop_with_1_free_seat_give_it_to_exactly_one(world):
    """Ten participants change their sessions with their personal links at the same moment,
    each from their own workshop into one with a single free seat: one gets the seat, the
    others are on its waiting list in distinct places, and the seats never pass capacity."""
    from django.test import Client

    event = make_event(world.agency, capacity=100, sessions=2)
    first, second = event.sessions.order_by("starts_at")
    Session.objects.filter(pk=first.pk).update(capacity=20)
    Session.objects.filter(pk=second.pk).update(capacity=1)
    first.refresh_from_db()
    people = [
        registration_create(event=event, name=f"P{i}", email=f"p{i}@example.org", sessions=[first])
        for i in range(10)
    ]

    def switch(token: str) -> int:
        response = Client().post(
            f"/events/registration/{token}/sessions/", {"sessions": [second.pk]}
        )
        return response.status_code

    results = run_parallel([functools.partial(switch, p.token) for p in people], workers=10)
    assert results == [302] * 10, results

    places = SessionPlace.objects.filter(registration__event=event)
    assert not places.filter(session=first).exists()
    assert Counter(places.values_list("status", flat=True)) == {"seat": 1, "waiting": 9}
    positions = sorted(places.filter(status="waiting").values_list("waiting_position", flat=True))
    assert len(set(positions)) == 9
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.seats_taken, second.seats_taken) == (0, 1)
