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


def test_a_baskets_titles_are_reminded_in_one_mail_with_one_calendar(cs: Any) -> None:
    from bokbro.classsets import baskets
    from bokbro.classsets.tests.conftest import make_title, request_for

    second = make_title(cs, copies=20, isbn="9788202399979", title="Brødrene Løvehjerte")
    start = next_monday(3)
    basket = baskets.basket_create(
        agency=cs.agency,
        requests=[
            request_for(cs, cs.title, copies=25, starts_on=start),
            request_for(cs, second, copies=20, starts_on=start),
        ],
    )
    baskets.basket_confirm(basket=basket)
    first = basket.bookings.get(title=cs.title)
    other = basket.bookings.get(title=second)

    (delivery,) = run_twice(start - timedelta(days=6))
    assert delivery.to == ["lise@skole.example"]
    for title in ("Doktor Proktors prompepulver", "Brødrene Løvehjerte"):
        assert title in delivery.body
    assert "2" in delivery.subject and in_words(start) in delivery.subject
    assert basket.get_absolute_url() in delivery.body
    (name, content, mimetype) = delivery.attachments[0]
    assert name == "class-sets.ics" and mimetype == "text/calendar"
    uids = sorted(str(e["uid"]).split("@")[0] for e in Calendar.from_ical(content).walk("VEVENT"))
    assert uids == sorted(
        f"classset-booking-{b.pk}-{day}" for b in (first, other) for day in ("delivery", "return")
    )

    # Out at the school; one title renewed to a later date gets its own return reminder.
    for booking in (first, other):
        services.booking_check_out(actor=cs.staff, booking=booking, copies=booking.copies)
    later = other.ends_on + timedelta(days=14)
    Booking.objects.filter(pk=other.pk).update(ends_on=later)
    (reminder,) = run_twice(first.ends_on - timedelta(days=3))
    assert "Brødrene Løvehjerte" not in reminder.body and "prompepulver" in reminder.subject
    (overdue,) = run_twice(first.ends_on + timedelta(days=1))
    assert "prompepulver" in overdue.subject and "Brødrene Løvehjerte" not in overdue.body
    (renewed,) = run_twice(later - timedelta(days=3))
    assert "Brødrene Løvehjerte" in renewed.subject and in_words(later) in renewed.body


def test_the_reminders_of_one_copy_speak_of_it_in_the_singular(cs: Any) -> None:
    booking = book(cs, cs.title, copies=1, starts_on=next_monday(3))
    services.booking_confirm(booking=booking)
    (delivery,) = run_twice(booking.starts_on - timedelta(days=6))
    assert "får klassen 1 eksemplar av «Doktor Proktors prompepulver»: det er på" in delivery.body
    services.booking_check_out(actor=cs.staff, booking=booking, copies=1)
    (reminder,) = run_twice(booking.ends_on - timedelta(days=3))
    assert "Eksemplaret av «Doktor Proktors prompepulver» som klassen lånte, skal" in reminder.body
    (event, *_) = Calendar.from_ical(reminder.attachments[0][1]).walk("VEVENT")
    assert str(event.get("description")).startswith("1 eksemplar av «Doktor Proktors")
    (overdue,) = run_twice(booking.ends_on + timedelta(days=1))
    assert "og vi har ikke fått det ennå" in overdue.body
