"""Extra one-off visits: on the timetable pages and in the calendar feeds with their reason,
refused where the vehicle is elsewhere at the time (and a regular visit refused at the time of
an extra one), and told at once to those who follow the stop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from icalendar import Calendar

from bokbro.mobile import following, selectors, services
from bokbro.mobile.models import ExtraVisit, Follower, Reminder, Visit
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db

# Tuesdays every other week from 5 January 2027, 10:50–11:05 at Torvet.
FIRST_TUESDAY = date(2027, 1, 5)


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def bus(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2027, 1, 1))
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.square = make_stop(world, "Torvet")
    world.school = make_stop(world, "Gressvik skole", n=1)
    world.visit = make_visit(
        world, world.route, world.square, starts_on=FIRST_TUESDAY, ends_on=date(2027, 6, 1)
    )
    return world


@pytest.fixture
def mails(django_capture_on_commit_callbacks: Any) -> Callable[[Callable[[], Any]], list[Any]]:
    def run(action: Callable[[], Any]) -> list[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return run


def extra(bus: Any, day: date, arrival: time, departure: time, **kw: Any) -> ExtraVisit:
    return services.extra_save(
        actor=bus.consultant,
        agency=bus.agency,
        extra=ExtraVisit(
            route=bus.route,
            stop=kw.pop("stop", bus.school),
            date=day,
            arrival=arrival,
            departure=departure,
            **kw,
        ),
    )


def refused(call: Callable[[], Any], field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


def test_an_extra_visit_shows_on_the_timetable_pages_with_its_reason(
    bus: Any, client_for: Any
) -> None:
    extra(bus, date(2027, 1, 7), time(12, 0), time(12, 30), reason="Lesekampanje")
    reader = client_for(None, language="en")
    for path in (
        f"/mobile-library/stops/{bus.school.pk}/",
        f"/mobile-library/municipalities/{bus.municipality.pk}/",
        f"/mobile-library/routes/{bus.route.pk}/",
    ):
        page = reader.get(path).content.decode()
        assert "Extra visit" in page, path
        assert "Lesekampanje" in page, path
        assert "12:00–12:30" in page, path


def test_an_extra_visit_is_one_event_in_the_feeds(bus: Any, client: Any) -> None:
    found = extra(bus, date(2027, 1, 7), time(12, 0), time(12, 30), reason="Lesekampanje")
    for path in (
        f"/mobile-library/stops/{bus.school.pk}/calendar.ics",
        f"/mobile-library/routes/{bus.route.pk}/calendar.ics",
        f"/mobile-library/vehicles/{bus.bus.pk}/calendar.ics",
    ):
        calendar = Calendar.from_ical(client.get(path).content)
        events = [
            e for e in calendar.walk("VEVENT") if f"mobile-extra-{found.pk}@" in str(e["uid"])
        ]
        assert len(events) == 1, path
        event = events[0]
        assert "RRULE" not in event
        assert event.decoded("dtstart").date() == date(2027, 1, 7)
        assert event.decoded("dtstart").strftime("%H:%M") == "12:00"
        assert str(event["description"]) == "Lesekampanje"


def test_an_extra_visit_when_the_bus_is_elsewhere_is_refused(bus: Any) -> None:
    message = refused(lambda: extra(bus, FIRST_TUESDAY, time(11, 0), time(11, 30)), "arrival")
    assert "Torvet" in message
    assert "two places at once" in message
    assert not ExtraVisit.objects.exists()
    # The week the regular visit does not come (every other Tuesday), the bus is free.
    extra(bus, date(2027, 1, 12), time(11, 0), time(11, 30))
    # Two extra visits of one bus at once.
    refused(lambda: extra(bus, date(2027, 1, 12), time(11, 15), time(11, 45)), "arrival")


def test_an_extra_visit_on_a_day_the_regular_one_is_off_is_allowed(bus: Any) -> None:
    services.visit_cancel(
        actor=bus.consultant, agency=bus.agency, visit=bus.visit, day=FIRST_TUESDAY, reason=""
    )
    extra(bus, FIRST_TUESDAY, time(11, 0), time(11, 30))
    assert ExtraVisit.objects.count() == 1


def test_a_regular_visit_at_the_time_of_an_extra_one_is_refused(bus: Any) -> None:
    extra(bus, date(2027, 1, 8), time(9, 0), time(9, 30))
    other = make_route(bus, bus.bus, "Fredag")
    message = refused(
        lambda: make_visit(
            bus,
            other,
            bus.school,
            time(9, 15),
            time(9, 45),
            "FREQ=WEEKLY",
            date(2027, 1, 1),
            date(2027, 6, 1),
        ),
        "arrival",
    )
    assert "2027-01-08" in message
    assert Visit.objects.count() == 1


def test_departure_before_arrival_is_refused(bus: Any) -> None:
    refused(lambda: extra(bus, date(2027, 1, 8), time(9, 30), time(9, 0)), "departure")


def test_followers_hear_of_an_extra_visit_at_once_and_when_it_is_called_off(
    bus: Any, mails: Any
) -> None:
    Follower.objects.create(
        agency=bus.agency,
        stop=bus.school,
        email="les@example.org",
        language="en",
        confirmed_at=timezone.now(),
    )
    Follower.objects.create(agency=bus.agency, stop=bus.square, email="annen@example.org")
    box: list[ExtraVisit] = []
    added = mails(
        lambda: box.append(
            extra(bus, date(2027, 1, 8), time(9, 0), time(9, 30), reason="Vinterferie")
        )
    )
    assert [m.to for m in added] == [["les@example.org"]]
    assert "Extra visit" in added[0].subject
    assert "Vinterferie" in added[0].body
    # A reminder before it, once.
    reminded = mails(
        lambda: following.reminders_send(now=timezone.make_aware(datetime(2027, 1, 6, 7)))
    )
    assert len(reminded) == 1
    assert Reminder.objects.get().extra == box[0]
    assert (
        mails(lambda: following.reminders_send(now=timezone.make_aware(datetime(2027, 1, 7, 7))))
        == []
    )
    called_off = mails(
        lambda: services.extra_delete(actor=bus.consultant, agency=bus.agency, extra=box[0])
    )
    assert [m.to for m in called_off] == [["les@example.org"]]
    assert "Cancelled" in called_off[0].subject


def test_staff_add_and_call_off_an_extra_visit_on_the_route_page(bus: Any, client_for: Any) -> None:
    staff = client_for(bus.consultant, language="en")
    response = staff.post(
        f"/mobile-library/staff/routes/{bus.route.pk}/extra/new/",
        {
            "stop": bus.school.pk,
            "date": "2027-01-07",
            "arrival": "12:00",
            "departure": "12:30",
            "reason": "Lesekampanje",
        },
    )
    assert response.status_code == 302
    page = staff.get(f"/mobile-library/staff/routes/{bus.route.pk}/").content.decode()
    assert "Lesekampanje" in page
    found = ExtraVisit.objects.get()
    staff.post(f"/mobile-library/staff/extra/{found.pk}/delete/")
    assert not ExtraVisit.objects.exists()
    # The form again with the message when the bus is elsewhere.
    response = staff.post(
        f"/mobile-library/staff/routes/{bus.route.pk}/extra/new/",
        {
            "stop": bus.school.pk,
            "date": FIRST_TUESDAY.isoformat(),
            "arrival": "10:45",
            "departure": "11:00",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert "two places at once" in response.content.decode()
