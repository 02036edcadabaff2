"""A teacher's name and address leave a class-set booking when it has served its purpose (the
loan returned and `CLASSSETS_CONTACT_KEEP_DAYS` gone), and when the teacher deletes their
account; the booking stays for the counts, and its personal link no longer opens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from bokbro.accounts.services import user_create
from bokbro.classsets import services
from bokbro.classsets.models import Booking, BookingStatus
from bokbro.classsets.tests.conftest import book, next_monday
from bokbro.events.tests.test_no_trace import QUEUE, periodic_work, traces, work

NAME = "Ingeborg Kvalsvik-Ørnes"
EMAIL = "Ingeborg.Kvalsvik@skole.example"
NEEDLES = ["Ingeborg", "Kvalsvik", "ingeborg.kvalsvik"]

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    settings.TASKS = QUEUE


def booked_on_the_page(cs: Any, client: Any) -> Booking:
    """The teacher books on the public page and confirms by the link in the mail."""
    start = next_monday()
    response = client.post(
        f"/class-sets/{cs.title.pk}/book/",
        {
            "copies": "25",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=25)).isoformat(),
            "school": cs.school.pk,
            "class_name": "6B",
            "contact_name": NAME,
            "contact_email": EMAIL,
            "delivery_library": cs.library.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    work()
    booking = Booking.objects.get(contact_email=EMAIL)
    assert client.post(f"/class-sets/booking/{booking.token}/confirm/").status_code == 302
    work()
    assert [m for m in mail.outbox if EMAIL in m.to]  # held, confirmed
    booking.refresh_from_db()
    return booking


def test_after_the_loan_and_the_keep_period_nothing_of_the_teacher_is_left(cs, client_for):
    booking = booked_on_the_page(cs, client_for(None, language="en"))
    token = booking.token
    services.booking_check_out(actor=cs.consultant, booking=booking, copies=25)
    later = timezone.now() + timedelta(days=400)
    # Out at the school: staff still need to know whom to ask for the books.
    periodic_work(now=later)
    booking.refresh_from_db()
    assert booking.contact_email == EMAIL and traces(NEEDLES)

    services.booking_check_in(actor=cs.consultant, booking=booking, copies=25)
    periodic_work(now=timezone.now() + timedelta(days=60))  # returned, but not long ago enough
    assert traces(NEEDLES)
    periodic_work(now=later)

    assert traces(NEEDLES) == []
    assert client_for(None).get(f"/class-sets/booking/{token}/").status_code == 404
    booking.refresh_from_db()
    assert (booking.status, booking.copies, booking.class_name) == (
        BookingStatus.RETURNED,
        25,
        "6B",
    )
    staff_page = client_for(cs.consultant, language="en").get(
        "/class-sets/staff/bookings/?status=returned"
    )
    assert "deleted after the retention period" in staff_page.content.decode()


def test_after_deleting_the_account_the_teachers_bookings_are_cancelled_and_anonymised(
    cs, client_for
):
    user = user_create(email=EMAIL.lower(), name=NAME, language="en")
    client = client_for(user, language="en")
    booking = booked_on_the_page(cs, client)
    token = booking.token
    export = client.get("/me/export/").content.decode()
    assert cs.title.title in export and "6B" in export

    assert client.post("/me/delete/", {"confirm": EMAIL.lower()}).status_code == 302
    work()
    periodic_work(now=timezone.now() + timedelta(days=30))  # the queue's leftovers only

    assert traces(NEEDLES) == []
    assert client_for(None).get(f"/class-sets/booking/{token}/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    # The copies are free for the next class.
    assert book(cs, cs.title, copies=30).copies == 30


def queued_on_the_page(cs: Any, client: Any) -> Any:
    """The teacher finds the copies short and joins the queue on the booking page."""
    from bokbro.classsets.models import QueueEntry

    start = next_monday()
    response = client.post(
        f"/class-sets/{cs.title.pk}/book/",
        {
            "copies": "25",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=25)).isoformat(),
            "school": cs.school.pk,
            "class_name": "6B",
            "contact_name": NAME,
            "contact_email": EMAIL,
            "delivery_library": cs.library.pk,
            "join_queue": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    work()
    return QueueEntry.objects.get(contact_email=EMAIL)


def test_a_place_in_the_queue_and_its_lapsed_offer_leave_nothing_after_the_keep_period(
    cs, client_for
):
    other = book(cs, cs.title, copies=10)
    entry = queued_on_the_page(cs, client_for(None, language="en"))
    token = entry.token
    services.booking_cancel(booking=other)  # the offer: a booking held for the teacher
    work()
    assert [m for m in mail.outbox if EMAIL in m.to and entry.title.title in m.subject]
    periodic_work(now=timezone.now() + timedelta(days=10))  # the offer lapses and passes on
    entry.refresh_from_db()
    assert entry.status == "expired" and traces(NEEDLES)
    periodic_work(now=timezone.now() + timedelta(days=400))
    assert traces(NEEDLES) == []
    assert client_for(None).get(f"/class-sets/queue/{token}/").status_code == 404


def test_deleting_the_account_leaves_the_queue_and_anonymises_the_place(cs, client_for):
    book(cs, cs.title, copies=10)
    user = user_create(email=EMAIL.lower(), name=NAME, language="en")
    client = client_for(user, language="en")
    entry = queued_on_the_page(cs, client)
    assert "queue: waiting" in client.get("/me/export/").content.decode()
    assert client.post("/me/delete/", {"confirm": EMAIL.lower()}).status_code == 302
    work()
    periodic_work(now=timezone.now() + timedelta(days=30))
    assert traces(NEEDLES) == []
    entry.refresh_from_db()
    assert entry.status == "left"
