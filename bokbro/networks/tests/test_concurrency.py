"""The networks' rules under real parallel clients against PostgreSQL: threads with their own
connections, released together by a barrier (the events' run_parallel).

- Joining: one person clicking "join" many times at once (tabs, a double click) ends in one
  membership; many people joining at once all get theirs.
- A meeting's capacity: "invite all members" registers through the events' rule, so while
  coordinators invite (twice at once) and outsiders register themselves, the seats never exceed
  the capacity and no one is registered twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from bokbro.accounts.services import user_create
from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person
from bokbro.events.models import Event, Registration, RegistrationStatus
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.test_concurrency import run_parallel
from bokbro.networks import services
from bokbro.networks.models import Membership, MembershipStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
    ),
]


@pytest.fixture
def w(transactional_db: Any) -> Any:
    from bokbro.conftest import make_world

    world: Any = make_world()
    world.network = services.network_save(
        actor=world.consultant, agency=world.agency, name="Nettverket", purpose="Deling."
    )
    return world


def _library_person(w: Any, i: int) -> Any:
    user = user_create(email=f"p{i}@bibliotek.example", name=f"Person {i}")
    person = Person.objects.create(name=f"Person {i}", email=user.email, user=user)
    LibraryRole.objects.create(person=person, library=w.library, role=LibraryRoleKind.STAFF)
    return user


def test_parallel_joins_end_in_one_membership_per_person(w: Any) -> None:
    users = [_library_person(w, i) for i in range(10)]
    jobs = [
        (lambda user=user: services.network_join(actor=user, agency=w.agency, network=w.network))
        for user in users
        for _ in range(4)
    ]
    results = run_parallel(jobs, workers=20)
    assert not [r for r in results if isinstance(r, Exception)], results
    memberships = Membership.objects.filter(network=w.network)
    assert memberships.count() == 10
    assert set(memberships.values_list("status", flat=True)) == {MembershipStatus.MEMBER}


def test_inviting_all_members_while_others_register_keeps_the_capacity(w: Any) -> None:
    for i in range(30):
        person = Person.objects.create(name=f"Medlem {i}", email=f"m{i}@bibliotek.example")
        services.member_set(
            actor=w.consultant,
            agency=w.agency,
            network=w.network,
            person=person,
            coordinator=False,
        )
    start = timezone.now() + timedelta(days=10)
    meeting = services.meeting_create(
        actor=w.consultant,
        agency=w.agency,
        network=w.network,
        data=services.MeetingData(
            title="Møte", starts_at=start, ends_at=start + timedelta(hours=2), capacity=20
        ),
    )
    Event.objects.filter(pk=meeting.event.pk).update(waiting_list=False)
    meeting.event.refresh_from_db()
    jobs: list[Any] = [
        lambda: services.meeting_invite_all(actor=w.consultant, agency=w.agency, meeting=meeting)
        for _ in range(2)
    ]
    jobs += [
        (
            lambda i=i: registration_create(
                event=meeting.event, name=f"Gjest {i}", email=f"g{i}@example.org"
            )
        )
        for i in range(20)
    ]
    results = run_parallel(jobs, workers=22)
    unexpected = [
        r for r in results if isinstance(r, Exception) and type(r).__name__ != "EventFull"
    ]
    assert not unexpected, unexpected
    statuses = Counter(
        Registration.objects.filter(event=meeting.event).values_list("status", flat=True)
    )
    assert statuses[RegistrationStatus.CONFIRMED] == 20
    event = Event.objects.get(pk=meeting.event.pk)
    assert event.seats_taken == 20
    emails = list(Registration.objects.filter(event=meeting.event).values_list("email", flat=True))
    assert len(emails) == len(set(emails))
