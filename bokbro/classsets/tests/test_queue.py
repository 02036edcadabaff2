"""The queue and renewal: a teacher who found the copies short joins the queue; when copies come
back the first in the queue they suffice for gets them held as an offer by mail, to accept
within the agency's days or it passes on; a loan is renewed only when the copies are free and
no one is waiting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bokbro.classsets import queue, services, waiting
from bokbro.classsets.models import Booking, BookingStatus, QueueEntry, QueueStatus, Settings
from bokbro.classsets.tests.conftest import book, next_monday, request_for


def join(world: Any, title: Any, copies: int, email: str = "q@skole.example") -> QueueEntry:
    return waiting.queue_join(
        agency=world.agency,
        request=request_for(world, title, copies=copies, contact_email=email),
    )


def test_a_teacher_short_of_copies_joins_the_queue_from_the_booking_form(
    cs: Any, client_for: Any, mails: Any
) -> None:
    book(cs, cs.title, copies=25)
    start = next_monday()
    data = {
        "copies": "10",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=25)).isoformat(),
        "school": cs.school.pk,
        "class_name": "6B",
        "contact_name": "Per Lærer",
        "contact_email": "per@skole.example",
        "delivery_library": cs.library.pk,
    }
    client = client_for(None, language="en")
    short = client.post(f"/class-sets/{cs.title.pk}/book/", data).content.decode()
    assert "Join the queue" in short
    answer, sent = mails(
        lambda: client.post(f"/class-sets/{cs.title.pk}/book/", {**data, "join_queue": "1"})
    )
    entry = QueueEntry.objects.get()
    assert answer["Location"] == f"/class-sets/queue/{entry.token}/"
    assert (entry.status, entry.copies) == ("waiting", 10)
    assert [m.to for m in sent] == [["per@skole.example"]]
    assert entry.get_absolute_url() in sent[0].body
    assert "In the queue" in client.get(answer["Location"]).content.decode()


def test_a_cancellation_offers_the_copies_to_the_first_in_the_queue(cs: Any, mails: Any) -> None:
    held = book(cs, cs.title, copies=25)
    first = join(cs, cs.title, 10, "first@skole.example")
    second = join(cs, cs.title, 10, "second@skole.example")
    _result, sent = mails(lambda: services.booking_cancel(booking=held))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == QueueStatus.OFFERED
    assert second.status == QueueStatus.OFFERED  # 30 free: both fit
    offer = first.booking
    assert offer is not None and offer.status == BookingStatus.HELD
    days = Settings.of(cs.agency).offer_days
    assert offer.held_until is not None
    assert offer.held_until - timezone.now() > timedelta(days=days, minutes=-1)
    assert sorted(m.to[0] for m in sent) == ["first@skole.example", "second@skole.example"]
    assert offer.get_absolute_url() in next(m for m in sent if m.to == ["first@skole.example"]).body
    with pytest.raises(services.NotEnoughCopies):
        book(cs, cs.title, copies=11)  # the offers hold their copies


def test_an_offer_not_accepted_in_time_passes_on(cs: Any, mails: Any) -> None:
    held = book(cs, cs.title, copies=30)
    first = join(cs, cs.title, 10, "first@skole.example")
    second = join(cs, cs.title, 25, "second@skole.example")
    mails(lambda: services.booking_cancel(booking=held))
    first.refresh_from_db()
    second.refresh_from_db()
    # 30 free: the first takes 10, the 20 left are too few for the second's 25.
    assert (first.status, second.status) == ("offered", "waiting")
    later = timezone.now() + timedelta(days=Settings.of(cs.agency).offer_days, hours=1)
    _n, sent = mails(lambda: services.release_expired(now=later))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("expired", "offered")
    assert [m.to for m in sent] == [["second@skole.example"]]


def test_the_first_whose_copies_suffice_gets_them(cs: Any) -> None:
    held = book(cs, cs.title, copies=10)
    book(cs, cs.title, copies=20)
    big = join(cs, cs.title, 30)
    small = join(cs, cs.title, 5)
    services.booking_cancel(booking=held)
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == ("waiting", "offered")


def test_accepting_the_offer_confirms_it_and_a_new_set_offers_too(cs: Any) -> None:
    book(cs, cs.title, copies=30)
    entry = join(cs, cs.title, 12)
    services.class_set_save(actor=cs.consultant, agency=cs.agency, title=cs.title, copies=12)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert entry.booking is not None
    services.booking_confirm(booking=entry.booking)
    entry.refresh_from_db()
    assert entry.status == "accepted"


def test_leaving_the_queue_with_an_offer_passes_it_on(cs: Any, client_for: Any) -> None:
    held = book(cs, cs.title, copies=30)
    first = join(cs, cs.title, 20)
    second = join(cs, cs.title, 20)
    services.booking_cancel(booking=held)
    first.refresh_from_db()
    assert first.status == "offered"
    client_for(None).post(f"/class-sets/queue/{first.token}/leave/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "left"
    assert first.booking is not None and first.booking.status == BookingStatus.CANCELLED
    assert second.status == "offered"


def test_places_whose_dates_have_passed_end(cs: Any) -> None:
    book(cs, cs.title, copies=30)
    entry = join(cs, cs.title, 5)
    assert queue.expire_passed(now=timezone.now() + timedelta(weeks=3)) == 1
    entry.refresh_from_db()
    assert entry.status == "expired"


def test_a_loan_is_renewed_when_copies_are_free_and_no_one_waits(cs: Any, client_for: Any) -> None:
    booking = book(cs, cs.title, copies=20)
    client = client_for(None, language="en")
    later = booking.ends_on + timedelta(weeks=2)
    refused = client.post(
        f"/class-sets/booking/{booking.token}/renew/", {"ends_on": later.isoformat()}
    )
    assert refused.status_code == 302
    assert (
        "Only a confirmed booking can be renewed."
        in client.get(refused["Location"]).content.decode()
    )
    services.booking_confirm(booking=booking)
    page = client.get(f"/class-sets/booking/{booking.token}/").content.decode()
    assert "Renew the loan" in page
    done = client.post(
        f"/class-sets/booking/{booking.token}/renew/", {"ends_on": later.isoformat()}
    )
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.ends_on == later
    too_far = later + timedelta(weeks=Settings.of(cs.agency).default_weeks, days=1)
    with pytest.raises(ValidationError, match="You can renew until"):
        waiting.booking_renew(booking=booking, ends_on=too_far)


def test_no_renewal_when_someone_waits_or_the_copies_are_taken(cs: Any) -> None:
    booking = book(cs, cs.title, copies=20)
    services.booking_confirm(booking=booking)
    after = booking.ends_on + timedelta(days=3)
    other = book(cs, cs.title, copies=15, starts_on=after, ends_on=after + timedelta(days=10))
    with pytest.raises(ValidationError, match="Only 15 copies are free in the extra days"):
        waiting.booking_renew(booking=booking, ends_on=after + timedelta(days=1))
    entry = waiting.queue_join(
        agency=cs.agency,
        request=request_for(
            cs, cs.title, copies=20, starts_on=after, ends_on=after + timedelta(days=10)
        ),
    )
    assert entry.status == "waiting"
    with pytest.raises(ValidationError, match="Others are waiting"):
        waiting.booking_renew(booking=booking, ends_on=after + timedelta(days=1))
    booking.refresh_from_db()
    assert booking.ends_on == after - timedelta(days=3)
    assert Booking.objects.filter(title=cs.title).holding().count() == 2
    assert other.ends_on > booking.ends_on


def test_offers_are_made_in_the_agencys_days(cs: Any) -> None:
    rules = Settings.objects.get_or_create(agency=cs.agency)[0]
    rules.offer_days = 1
    rules.save()
    held = book(cs, cs.title, copies=30)
    entry = join(cs, cs.title, 5)
    services.booking_cancel(booking=held)
    entry.refresh_from_db()
    assert entry.booking is not None and entry.booking.held_until is not None
    assert entry.booking.held_until < timezone.now() + timedelta(days=1, minutes=1)
