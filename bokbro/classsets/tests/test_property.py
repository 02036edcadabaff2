"""A property test (Hypothesis): random sequences of bookings and cancellations against a simple
model of the rule. Whatever the order, the service accepts a booking exactly when the model says
the copies are free on every day, and the database never holds more copies than owned on any
day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bokbro.classsets import selectors, services
from bokbro.classsets.models import Booking
from bokbro.classsets.tests.conftest import book, next_monday

OWNED = 30

booking_op = st.tuples(
    st.just("book"),
    st.integers(min_value=1, max_value=OWNED),  # copies
    st.integers(min_value=0, max_value=40),  # first day, days after the first Monday
    st.integers(min_value=0, max_value=30),  # length in days, less one
)
cancel_op = st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=50))
operations = st.lists(st.one_of(booking_op, booking_op, cancel_op), min_size=1, max_size=25)


def model_accepts(active: list[tuple[date, date, int]], first: date, last: date, n: int) -> bool:
    day = first
    while day <= last:
        if sum(c for s, e, c in active if s <= day <= e) + n > OWNED:
            return False
        day += timedelta(days=1)
    return True


def booked_in_database(title: Any, first: date, last: date) -> list[int]:
    windows = list(
        Booking.objects.filter(title=title).holding().values_list("starts_on", "ends_on", "copies")
    )
    return selectors.booked_per_day(windows, first, last)


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(ops=operations)
def test_bookings_never_exceed_copies_owned_and_match_the_model(cs: Any, ops: list[Any]) -> None:
    base = next_monday()
    with transaction.atomic():
        active: dict[int, tuple[date, date, int]] = {}
        made: list[Any] = []
        for op in ops:
            if op[0] == "book":
                _, copies, offset, length = op
                first = base + timedelta(days=offset)
                last = first + timedelta(days=length)
                expected = model_accepts(list(active.values()), first, last, copies)
                try:
                    booking = book(cs, cs.title, copies=copies, starts_on=first, ends_on=last)
                except services.NotEnoughCopies as short:
                    assert not expected, (first, last, copies, active)
                    # The free quantity it names is really free, and one more is not.
                    assert model_accepts(list(active.values()), first, last, short.free)
                    assert not model_accepts(list(active.values()), first, last, short.free + 1)
                else:
                    assert expected, (first, last, copies, active)
                    active[booking.pk] = (first, last, copies)
                    made.append(booking)
            elif made:
                booking = made[op[1] % len(made)]
                if booking.pk in active:
                    services.booking_cancel(booking=booking)
                    del active[booking.pk]
            per_day = booked_in_database(cs.title, base, base + timedelta(days=80))
            assert max(per_day) <= OWNED
        transaction.set_rollback(True)
