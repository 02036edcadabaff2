"""The teacher's reminders: a week before delivery, before return and when the copies are
overdue, each with the dates, the return instructions and a calendar file, each sent once
however often the periodic job runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core import mail
from django.utils import formats, timezone, translation
from icalendar import Calendar

from bokbro.classsets import services
from bokbro.classsets.models import Booking
from bokbro.classsets.periodic import run as periodic_run
from bokbro.classsets.tests.conftest import book, next_monday


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(7, 0)))


def run_twice(day: date) -> list[Any]:
    mail.outbox.clear()
    periodic_run(now=at(day))
    periodic_run(now=at(day))
    return list(mail.outbox)


def in_words(day: date) -> str:
    with translation.override("nb"):  # the agency's language
        return formats.date_format(day, "DATE_FORMAT")


def calendar_days(message: Any) -> list[date]:
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("class-set.ics", "text/calendar")
    return [e.decoded("dtstart") for e in Calendar.from_ical(content).walk("VEVENT")]


def test_the_teacher_is_reminded_before_delivery_and_return_and_when_overdue_once_each(
    cs: Any, client_for: Any
) -> None:
    booking = book(cs, cs.title, copies=25, starts_on=next_monday(3))
    services.booking_confirm(booking=booking)
    assert run_twice(booking.starts_on - timedelta(days=8)) == []

    (delivery,) = run_twice(booking.starts_on - timedelta(days=6))
    assert delivery.to == ["lise@skole.example"]
    assert "Doktor Proktors prompepulver" in delivery.subject
    assert in_words(booking.starts_on) in delivery.body
    assert calendar_days(delivery) == [booking.starts_on, booking.ends_on]

    services.booking_check_out(actor=cs.staff, booking=booking, copies=24)
    (reminder,) = run_twice(booking.ends_on - timedelta(days=3))
    assert "24 copies" in reminder.body or "24 eksemplar" in reminder.body
    assert cs.library.name in reminder.body and "250" in reminder.body
    assert calendar_days(reminder) == [booking.starts_on, booking.ends_on]

    assert run_twice(booking.ends_on) == []
    (overdue,) = run_twice(booking.ends_on + timedelta(days=1))
    assert in_words(booking.ends_on) in overdue.body
    assert run_twice(booking.ends_on + timedelta(days=10)) == []

    # The overdue bookings on the staff list of the library the copies went to.
    staff = client_for(cs.staff, language="en")
    overdue_list = "/class-sets/staff/bookings/?status=overdue"
    assert "Doktor Proktors prompepulver" not in staff.get(overdue_list).content.decode()
    past = timezone.localdate() - timedelta(days=2)
    Booking.objects.filter(pk=booking.pk).update(starts_on=past - timedelta(days=20), ends_on=past)
    assert "Doktor Proktors prompepulver" in staff.get(overdue_list).content.decode()
    services.booking_check_in(actor=cs.staff, booking=booking, copies=24)
    assert run_twice(booking.ends_on + timedelta(days=11)) == []


def test_a_booking_confirmed_in_its_last_week_gets_no_delivery_reminder(cs: Any) -> None:
    booking = book(cs, cs.title, copies=5, starts_on=next_monday(1))
    services.booking_confirm(booking=booking)
    assert run_twice(booking.starts_on - timedelta(days=3)) == []
