"""The rule holds under real parallel clients against PostgreSQL: threads with their own
connections, released together by a barrier, race for the last copies of a title — through the
service, and as HTTP clients of the API on a live server. Copies booked never exceed copies
owned on any day, every round."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.db import connection

from bokbro.classsets import services
from bokbro.classsets.models import Booking
from bokbro.classsets.tests.conftest import make_school, make_title, next_monday, request_for
from bokbro.classsets.tests.test_property import booked_in_database
from bokbro.events.tests.test_concurrency import run_parallel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
    ),
]


@pytest.fixture
def cs(transactional_db: Any) -> Any:
    from bokbro.conftest import make_world

    world: Any = make_world()
    world.school = make_school(world)
    return world


def _last_copies(cs: Any, title: Any, last_day: Any, i: int) -> Any:
    """Six copies for a window whose first day is the held booking's last day (or a week or two
    before it)."""
    return services.booking_create(
        agency=cs.agency,
        request=request_for(
            cs,
            title,
            copies=6,
            starts_on=last_day - timedelta(days=i % 3 * 7),
            ends_on=last_day + timedelta(days=10),
            contact_email=f"l{i}@skole.example",
        ),
    )


def test_clients_racing_for_the_last_copies_take_them_exactly_once(cs: Any) -> None:
    """The weakest point: 30 owned, 24 held; 20 clients ask for 6 at once, five rounds over
    windows that overlap the held booking by a single day."""
    for round_ in range(5):
        title = make_title(cs, isbn=f"97882020{round_:04d}0", title=f"Runde {round_}")
        start = next_monday(2 + round_ * 6)
        services.booking_create(
            agency=cs.agency,
            request=request_for(
                cs, title, copies=24, starts_on=start, ends_on=start + timedelta(days=11)
            ),
        )
        last_day = start + timedelta(days=11)
        jobs = [partial(_last_copies, cs, title, last_day, i) for i in range(20)]
        results = run_parallel(jobs, workers=20)
        kinds = Counter(type(r).__name__ for r in results)
        assert kinds == {"Booking": 1, "NotEnoughCopies": 19}, results
        assert all(r.free == 0 for r in results if isinstance(r, services.NotEnoughCopies))
        per_day = booked_in_database(title, start, start + timedelta(days=40))
        assert max(per_day) == 30


def test_200_parallel_api_requests_for_the_last_30_copies(cs: Any, live_server: Any) -> None:
    """A booking storm through the API: 200 requests of 1 to 4 copies for overlapping windows of
    a title with 30 free. Every answer is 201 or 409, and no day holds more than 30."""
    title = make_title(cs, isbn="9788202999990", title="Stormen", copies=[20, 10])
    start = next_monday(3)
    url = f"{live_server.url}/api/class-sets/bookings"

    def request(i: int) -> int:
        first = start + timedelta(days=i % 5)
        body = {
            "title": title.pk,
            "copies": 1 + i % 4,
            "from": first.isoformat(),
            "to": (first + timedelta(days=13)).isoformat(),
            "school": cs.school.pk,
            "class_name": f"{1 + i % 7}A",
            "contact_name": "Lærer",
            "contact_email": f"t{i}@skole.example",
            "delivery_library": cs.library.pk,
        }
        sent = urllib.request.Request(  # noqa: S310 (the live server's http:// URL)
            url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(sent, timeout=60) as answer:  # noqa: S310
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    statuses = Counter(run_parallel([partial(request, i) for i in range(200)], workers=16))
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] >= 8  # at least 30 copies' worth of 1–4 copy requests got through
    per_day = booked_in_database(title, start, start + timedelta(days=30))
    assert max(per_day) <= 30
    assert Booking.objects.filter(title=title).count() == statuses[201]


def test_baskets_naming_the_same_titles_in_opposite_orders_never_deadlock(cs: Any) -> None:
    """Twenty baskets at once, half of them naming two titles A then B and half B then A, each
    asking 3 copies of both of 10: the titles are locked in id order, so no basket waits for
    another in a cycle (PostgreSQL would end one with a deadlock error). Exactly three baskets
    are held, whole; each other is told both titles are short or one is, and holds nothing."""
    from bokbro.classsets import baskets

    for round_ in range(3):
        a = make_title(cs, isbn=f"97882021{round_:04d}0", title=f"A{round_}", copies=10)
        b = make_title(cs, isbn=f"97882022{round_:04d}0", title=f"B{round_}", copies=10)
        start = next_monday(2 + round_ * 5)

        def basket(i: int, a: Any = a, b: Any = b, start: Any = start) -> Any:
            order = [a, b] if i % 2 else [b, a]
            return baskets.basket_create(
                agency=cs.agency,
                requests=[
                    request_for(cs, t, copies=3, starts_on=start, contact_email=f"b{i}@s.example")
                    for t in order
                ],
            )

        results = run_parallel([partial(basket, i) for i in range(20)], workers=20)
        kinds = Counter(type(r).__name__ for r in results)
        assert kinds == {"Basket": 3, "BasketShort": 17}, results
        for title in (a, b):
            assert Booking.objects.filter(title=title).count() == 3
            assert max(booked_in_database(title, start, start + timedelta(days=30))) == 9


def test_copies_given_back_go_once_to_the_queue_or_to_a_racing_booking(cs: Any) -> None:
    """A cancellation hands the copies to the queue under the title's lock while 19 clients ask
    for the same copies at once: whichever comes first takes all ten, and never more than ten
    are held on any day."""
    from bokbro.classsets import waiting
    from bokbro.classsets.models import QueueEntry

    for round_ in range(3):
        title = make_title(cs, isbn=f"97882023{round_:04d}0", title=f"Kø {round_}", copies=10)
        start = next_monday(2 + round_ * 5)
        held = services.booking_create(
            agency=cs.agency, request=request_for(cs, title, copies=10, starts_on=start)
        )
        entry = waiting.queue_join(
            agency=cs.agency, request=request_for(cs, title, copies=10, starts_on=start)
        )
        assert entry.status == "waiting"

        def ask(i: int, title: Any = title, start: Any = start) -> Any:
            return services.booking_create(
                agency=cs.agency,
                request=request_for(
                    cs, title, copies=10, starts_on=start, contact_email=f"r{i}@s.example"
                ),
            )

        jobs = [partial(services.booking_cancel, booking=held)] + [
            partial(ask, i) for i in range(19)
        ]
        results = run_parallel(jobs, workers=20)
        assert not [
            r
            for r in results
            if isinstance(r, Exception) and not isinstance(r, services.NotEnoughCopies)
        ], results
        won = [r for r in results[1:] if isinstance(r, Booking)]
        entry = QueueEntry.objects.get(pk=entry.pk)
        assert len(won) + (entry.status == "offered") == 1, (won, entry.status)
        assert Booking.objects.filter(title=title).holding().count() == 1
        assert max(booked_in_database(title, start, start + timedelta(days=30))) == 10
