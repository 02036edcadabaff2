"""Booking N copies of a title for a window: held at once, confirmed by the personal link,
released when not confirmed in time; bad input saves nothing; short copies offer alternatives."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from bokbro.classsets import services
from bokbro.classsets.models import Booking, BookingStatus, HolidayPeriod, Loss, Settings
from bokbro.classsets.periodic import run as periodic_run
from bokbro.classsets.tests.conftest import book, make_school, next_monday, request_for
from bokbro.directory.models import Municipality, OrganisationKind


def test_a_booking_holds_its_copies_and_mails_the_confirmation_link(cs: Any, mails: Any) -> None:
    booking, sent = mails(
        lambda: services.booking_create(
            agency=cs.agency, request=request_for(cs, cs.title, copies=25)
        )
    )
    assert booking.status == BookingStatus.HELD
    assert [m.to for m in sent] == [["lise@skole.example"]]
    assert booking.get_absolute_url() in sent[0].body
    assert "Doktor Proktors prompepulver" in sent[0].subject
    # The copies are held at once: only 5 are left for the same weeks.
    with pytest.raises(services.NotEnoughCopies) as short:
        book(cs, cs.title, copies=10)
    assert short.value.free == 5


def test_copies_short_offers_the_free_quantity_and_other_weeks(cs: Any) -> None:
    book(cs, cs.title, copies=24)
    with pytest.raises(services.NotEnoughCopies) as short:
        book(cs, cs.title, copies=30)
    assert short.value.free == 6
    assert "6" in str(short.value.message)
    taken = request_for(cs, cs.title)
    assert short.value.alternatives
    for alt in short.value.alternatives:
        # Each alternative is free for 30 copies: it does not overlap the first booking.
        assert alt.starts_on > taken.ends_on or alt.ends_on < taken.starts_on
        assert (alt.ends_on - alt.starts_on) == (taken.ends_on - taken.starts_on)
    first = short.value.alternatives[0]
    assert book(cs, cs.title, copies=30, starts_on=first.starts_on, ends_on=first.ends_on)
    # Partial fulfilment: the 6 free can be booked.
    assert book(cs, cs.title, copies=6).copies == 6


def test_bookings_that_do_not_overlap_share_the_copies(cs: Any) -> None:
    start = next_monday()
    book(cs, cs.title, copies=30, starts_on=start, ends_on=start + timedelta(days=13))
    later = start + timedelta(days=14)
    assert book(cs, cs.title, copies=30, starts_on=later, ends_on=later + timedelta(days=4))
    with pytest.raises(services.NotEnoughCopies):
        # One day overlapping the first is enough to be short.
        book(cs, cs.title, copies=1, starts_on=start + timedelta(days=13), ends_on=later)


def bad(cs: Any, field: str, **overrides: Any) -> list[str]:
    before = Booking.objects.count()
    with pytest.raises(ValidationError) as error:
        book(cs, cs.title, **overrides)
    assert Booking.objects.count() == before
    return error.value.message_dict[field]


def test_bad_input_gets_a_message_on_its_field_and_saves_nothing(cs: Any) -> None:
    start = next_monday()
    assert "at least one" in bad(cs, "copies", copies=0)[0]
    assert "at least one" in bad(cs, "copies", copies=-3)[0]
    assert "30 copies in all" in bad(cs, "copies", copies=31)[0]
    assert (
        "before the delivery"
        in bad(cs, "ends_on", starts_on=start, ends_on=start - timedelta(days=1))[0]
    )
    assert (
        "at most 8 weeks"
        in bad(cs, "ends_on", starts_on=start, ends_on=start + timedelta(weeks=9))[0]
    )
    assert "passed" in bad(cs, "starts_on", starts_on=timezone.localdate() - timedelta(days=7))[0]
    far = date(9999, 11, 1)
    assert "two years ahead" in bad(cs, "starts_on", starts_on=far, ends_on=far)[0]
    swedish = make_school(cs, "Gröna skolan", municipality=Municipality.objects.get(code="0683"))
    assert "our region" in bad(cs, "school", school=swedish)[0]
    not_a_school = make_school(cs, "Kulturhuset")
    not_a_school.kind = OrganisationKind.OTHER
    not_a_school.save()
    assert "our region" in bad(cs, "school", school=not_a_school)[0]
    assert "our region" in bad(cs, "delivery_library", delivery_library=cs.swedish_library)[0]


def test_a_window_starting_or_ending_in_a_holiday_is_refused(cs: Any) -> None:
    start = next_monday()
    HolidayPeriod.objects.create(
        agency=cs.agency, name="Vinterferie", starts_on=start, ends_on=start + timedelta(days=6)
    )
    message = bad(cs, "starts_on", starts_on=start + timedelta(days=2))[0]
    assert message.startswith("Vinterferie")
    # Across the holiday is fine: the books are at school already.
    assert book(
        cs, cs.title, starts_on=start - timedelta(days=7), ends_on=start + timedelta(days=9)
    )


def test_the_agencys_longest_loan_is_its_own(cs: Any) -> None:
    Settings.objects.update_or_create(
        agency=cs.agency, defaults={"default_weeks": 2, "max_weeks": 3}
    )
    start = next_monday()
    assert "at most 3 weeks" in bad(cs, "ends_on", ends_on=start + timedelta(weeks=3, days=1))[0]
    Settings.objects.filter(agency=cs.agency).update(default_weeks=1, max_weeks=1)
    message = bad(cs, "ends_on", ends_on=start + timedelta(weeks=1, days=1))[0]
    assert message == "A loan can last at most 1 week."


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        (
            "en",
            "Only 1 of the 3 copies you asked for is free for the whole period.",
            "Only 2 of the 3 copies you asked for are free for the whole period.",
        ),
        (
            "nb",
            "Bare 1 av de 3 eksemplarene du ba om, er ledig i hele perioden.",
            "Bare 2 av de 3 eksemplarene du ba om, er ledige i hele perioden.",
        ),
    ],
)
def test_copies_short_agrees_with_the_number_free(language: str, one: str, two: str) -> None:
    with translation.override(language):
        for free, sentence in ((1, one), (2, two)):
            short = services.NotEnoughCopies(asked=3, free=free, alternatives=[])
            assert str(short.message).startswith(sentence)


def test_confirm_and_cancel_by_the_personal_link(cs: Any, client_for: Any, mails: Any) -> None:
    booking = book(cs, cs.title, copies=30)
    client = client_for(None)
    page = client.get(booking.get_absolute_url())
    assert "Bekreft bestillingen" in page.content.decode()
    response, sent = mails(lambda: client.post(f"/class-sets/booking/{booking.token}/confirm/"))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    # The mail speaks the agency's language.
    assert sent[0].subject.startswith("Bestillingen av klassesett er bekreftet")
    client.post(f"/class-sets/booking/{booking.token}/cancel/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    # The copies are free again.
    assert book(cs, cs.title, copies=30).copies == 30


def test_an_unconfirmed_booking_gives_its_copies_back_after_the_hold(cs: Any) -> None:
    booking = book(cs, cs.title, copies=30)
    assert periodic_run(now=timezone.now() + timedelta(hours=47))["classsets.released"] == 0
    assert periodic_run(now=timezone.now() + timedelta(hours=49))["classsets.released"] == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED
    assert periodic_run(now=timezone.now() + timedelta(hours=50))["classsets.released"] == 0
    assert book(cs, cs.title, copies=30)
    confirmed = book(cs, cs.title, copies=1, starts_on=next_monday(8))
    services.booking_confirm(booking=confirmed)
    periodic_run(now=timezone.now() + timedelta(days=30))
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED


def test_fewer_copies_back_reduce_the_set_at_the_replacement_price(cs: Any) -> None:
    booking = book(cs, cs.title, copies=25)
    services.booking_check_out(actor=cs.staff, booking=booking, copies=25)
    services.booking_check_in(actor=cs.staff, booking=booking, copies=22, note="Vannskade")
    loss = Loss.objects.get()
    assert (loss.copies, loss.price, loss.note) == (3, 250, "Vannskade")
    assert cs.title.copies_owned() == 27
    with pytest.raises(ValidationError):
        book(cs, cs.title, copies=28, starts_on=next_monday(10))


def test_the_team_sets_the_loan_rules_and_holidays_on_their_page(cs: Any, client_for: Any) -> None:
    client = client_for(cs.consultant, language="en")
    rules = {
        "save_rules": "1",
        "default_weeks": "3",
        "max_weeks": "2",
        "hold_hours": "24",
        "replacement_price": "300",
        "offer_days": "2",
    }
    refused = client.post("/class-sets/staff/rules/", rules)
    assert "cannot be shorter than the usual one" in refused.content.decode()
    assert Settings.of(cs.agency).max_weeks == 8  # unchanged
    client.post("/class-sets/staff/rules/", rules | {"max_weeks": "3"})
    start = next_monday()
    assert "at most 3 weeks" in bad(cs, "ends_on", ends_on=start + timedelta(weeks=3, days=1))[0]
    client.post(
        "/class-sets/staff/rules/",
        {
            "add_holiday": "1",
            "name": "Høstferie",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=4)).isoformat(),
        },
    )
    assert bad(cs, "starts_on")[0].startswith("Høstferie")
    holiday = HolidayPeriod.objects.get()
    client.post(f"/class-sets/staff/rules/holidays/{holiday.pk}/delete/")
    assert book(cs, cs.title, ends_on=start + timedelta(days=11)).status == BookingStatus.HELD


@override_settings(MAIL_RATE_PER_ADDRESS="1/3600")
def test_the_booking_form_cannot_flood_one_mailbox(cs: Any, client_for: Any) -> None:
    start = next_monday()
    form = {
        "copies": "2",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=11)).isoformat(),
        "school": cs.school.pk,
        "class_name": "6B",
        "contact_name": "Lise",
        "contact_email": "lise@skole.example",
        "delivery_library": cs.library.pk,
    }
    client = client_for(None, language="en")
    assert client.post(f"/class-sets/{cs.title.pk}/book/", form).status_code == 302
    again = client.post(f"/class-sets/{cs.title.pk}/book/", form | {"class_name": "7A"})
    assert again.status_code == 200
    assert "too many e-mails from this site in the last hour" in again.content.decode()
    assert not Booking.objects.filter(class_name="7A").exists()


def test_a_booking_is_held_from_the_time_it_was_made(cs: Any) -> None:
    """The hold counts from the moment given to the service (the periodic release relies on it),
    not from when the row happens to be written."""
    made = timezone.now() - timedelta(hours=10)
    booking = services.booking_create(
        agency=cs.agency, request=request_for(cs, cs.title, copies=5), now=made
    )
    hours = Settings.of(cs.agency).hold_hours
    assert booking.held_until == made + timedelta(hours=hours)
    assert Booking.objects.get(pk=booking.pk).held_until == made + timedelta(hours=hours)
