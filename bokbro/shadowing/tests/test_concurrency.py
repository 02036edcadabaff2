"""The number of guests under real parallel clients against PostgreSQL: threads with their own
connections, released together by a barrier (the events' run_parallel).

- Hosts accepting at once (two tabs, a double click, two colleagues) never accept more guests
  than the offer has places, and accept no application twice.
- One person clicking "apply" many times at once ends in one application."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bokbro.accounts.services import user_create
from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person
from bokbro.events.tests.test_concurrency import run_parallel
from bokbro.shadowing import services
from bokbro.shadowing.models import Application, Offer, Status
from bokbro.shadowing.tests.factories import make_offer

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

    return make_world()


def _librarian(w: Any, i: int) -> Person:
    user = user_create(email=f"g{i}@bibliotek.example", name=f"Gjest {i}")
    person = Person.objects.create(name=f"Gjest {i}", email=user.email, user=user)
    LibraryRole.objects.create(person=person, library=w.library, role=LibraryRoleKind.MANAGER)
    return person


def test_parallel_accepts_never_exceed_the_places(w: Any) -> None:
    offer = make_offer(w, places=5)
    applications = [
        services.application_create(
            actor=None,
            agency=w.agency,
            offer=offer,
            person=_librarian(w, i),
            library=w.library,
            motivation="Jeg vil lære.",
        )
        for i in range(30)
    ]
    assert {a.status for a in applications} == {Status.HOST}  # managers consent for themselves
    jobs = [
        (lambda a=a: services.application_decide(actor=w.consultant, application=a, accept=True))
        for a in applications
        for _ in range(2)  # every application accepted twice at once
    ]
    results = run_parallel(jobs, workers=20)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    assert not unexpected, unexpected
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 5
    assert Offer.objects.get(pk=offer.pk).places_taken == 5
    refusals = [str(r) for r in results if isinstance(r, ValidationError)]
    assert any("All the places" in r for r in refusals)


def test_parallel_clicks_on_apply_end_in_one_application(w: Any) -> None:
    offer = make_offer(w, places=3)
    people = [_librarian(w, i) for i in range(8)]
    jobs = [
        (
            lambda p=p: services.application_create(
                actor=None,
                agency=w.agency,
                offer=offer,
                person=p,
                library=w.library,
                motivation="Jeg vil lære.",
            )
        )
        for p in people
        for _ in range(4)
    ]
    results = run_parallel(jobs, workers=16)
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    assert not unexpected, unexpected
    assert Application.objects.filter(offer=offer).count() == 8
