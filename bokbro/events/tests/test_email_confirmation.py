"""Places held until the person confirms their address (issue 13): someone registering
without signing in, on an event that asks for it (the default for new events), gets the seat
held for `hold_hours`; the link that confirms it goes only to the address typed."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from bokbro.core.models import AuditEntry
from bokbro.events.models import Event, Registration, RegistrationStatus
from bokbro.events.periodic import run as periodic_run
from bokbro.events.services.places import holds_lapse, registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

HELD, CONFIRMED = RegistrationStatus.HELD, RegistrationStatus.CONFIRMED
WAITING, LAPSED = RegistrationStatus.WAITING, RegistrationStatus.LAPSED


def register(client: Any, event: Event, email: str, library: Any = None) -> Any:
    data = {"name": "Kari Nordmann", "email": email}
    if library is not None:
        data["library"] = library.pk
    else:
        data["organisation"] = "Gressvik skole"
    return client.post(f"/events/{event.pk}/register/", data)


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+(/events/registration/[\w-]+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def expire(registration: Registration) -> None:
    Registration.objects.filter(pk=registration.pk).update(
        hold_expires_at=timezone.now() - timedelta(minutes=1)
    )


def test_the_seat_is_held_until_the_person_confirms_from_the_mail(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=2, online_url="https://meet.example.org/abc")
    assert event.confirm_by_email and event.hold_hours == 24
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, "kari@example.org", world.library)
    registration = Registration.objects.get(event=event)
    # The answer is a "check your e-mail" page, not the personal link.
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}/register/sent/"
    sent = client.get(response["Location"]).content.decode()
    assert registration.token not in sent and "24" in sent
    assert registration.status == HELD and registration.holds_seat
    assert (
        timedelta(hours=23) < registration.hold_expires_at - timezone.now() <= timedelta(hours=24)
    )
    event.refresh_from_db()
    assert event.seats_taken == 1

    [message] = mail.outbox
    assert message.to == ["kari@example.org"]
    assert "Bekreft plassen" in message.subject or "Confirm your place" in message.subject
    path = link_in(message)
    page = client_for(None).get(path).content.decode()
    assert "/confirm/" in page and "meet.example.org/abc" not in page

    # Opening the link confirms nothing (mail programs open links to check them).
    assert Registration.objects.get(pk=registration.pk).status == HELD
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(None).post(f"{path}confirm/").status_code == 302
    registration.refresh_from_db()
    assert registration.status == CONFIRMED and registration.hold_expires_at is None
    assert registration.confirmed_at is not None
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["kari@example.org"]
    assert "meet.example.org/abc" in client_for(None).get(path).content.decode()
    assert AuditEntry.objects.filter(action="events.registration.email_confirmed").exists()


def test_a_place_not_confirmed_in_time_is_released_and_the_waiting_list_moves_up(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(client_for(None), event, "someone.else@example.org")
    held = Registration.objects.get(event=event)
    waiting = registration_create(
        event=event, name="Per", email="per@example.org", user=world.staff, library=world.library
    )
    assert waiting.status == WAITING
    mail.outbox.clear()

    assert holds_lapse() == 0  # not yet
    expire(held)
    with django_capture_on_commit_callbacks(execute=True):
        assert periodic_run()["unconfirmed places released"] == 1
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert held.status == LAPSED and not held.holds_seat
    assert waiting.status == CONFIRMED
    # Only Per hears about it (his place in line, then his seat): the address that never
    # confirmed gets no more mail.
    assert {tuple(m.to) for m in mail.outbox} == {("per@example.org",)}
    assert "someone.else@example.org" not in str([m.body for m in mail.outbox])
    assert holds_lapse() == 0  # once
    # Too late to confirm: the person is told, and nothing changes.
    response = client_for(None).post(f"/events/registration/{held.token}/confirm/", follow=True)
    assert Registration.objects.get(pk=held.pk).status == LAPSED
    assert response.status_code == 200


def test_unconfirmed_people_in_the_waiting_list_are_passed_over_until_they_confirm(
    world, client_for
):
    event = make_event(world.agency, capacity=1)
    first = registration_create(
        event=event, name="Aisha", email=world.staff.email, user=world.staff, library=world.library
    )
    register(client_for(None), event, "kari@example.org")
    unconfirmed = Registration.objects.get(event=event, email="kari@example.org")
    assert unconfirmed.status == WAITING and unconfirmed.hold_expires_at is not None
    registration_create(
        event=event, name="Per", email="per@example.org", user=world.manager, library=world.library
    )
    registration_cancel(registration=first)
    per = Registration.objects.get(event=event, email="per@example.org")
    unconfirmed.refresh_from_db()
    # Kari was first in line but has not shown the address is hers; Per gets the seat.
    assert (unconfirmed.status, per.status) == (WAITING, CONFIRMED)
    client_for(None).post(f"/events/registration/{unconfirmed.token}/confirm/")
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == WAITING and unconfirmed.hold_expires_at is None
    registration_cancel(registration=per)
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == CONFIRMED


def test_someone_signed_in_is_not_asked_to_confirm(world, client_for):
    event = make_event(world.agency, capacity=2)
    client = client_for(world.staff)
    response = client.post(
        f"/events/{event.pk}/register/",
        {"name": "Aisha", "email": world.staff.email, "library": world.library.pk},
    )
    registration = Registration.objects.get(event=event)
    assert registration.status == CONFIRMED and registration.hold_expires_at is None
    assert response["Location"] == registration.get_absolute_url()


def test_with_manager_approval_the_confirmed_place_goes_to_the_manager(world, client_for):
    event = make_event(world.agency, capacity=2, manager_approval=True)
    register(client_for(None), event, "kari@example.org", world.library)
    registration = Registration.objects.get(event=event)
    assert registration.status == HELD
    client_for(None).post(f"/events/registration/{registration.token}/confirm/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING_APPROVAL


def test_the_api_holds_the_place_and_does_not_give_away_the_link(world, client_for):
    event = make_event(world.agency, capacity=1)
    client = client_for(None)

    def post(email: str) -> Any:
        return client.post(
            f"/api/events/{event.pk}/registrations",
            json.dumps({"name": "P", "email": email, "organisation": "X"}),
            "application/json",
        )

    held = post("a@example.org")
    assert held.status_code == 201
    assert held.json() == {
        "status": "held",
        "sessions": [],
        "waiting_position": None,
        "url": None,
    }
    waiting = post("b@example.org").json()
    assert waiting == {"status": "waiting", "sessions": [], "waiting_position": 1, "url": None}
    off = make_event(world.agency, capacity=1, confirm_by_email=False)
    response = client.post(
        f"/api/events/{off.pk}/registrations",
        json.dumps({"name": "P", "email": "c@example.org", "organisation": "X"}),
        "application/json",
    )
    assert response.json()["status"] == "confirmed" and response.json()["url"]


def test_the_organiser_turns_confirmation_off_and_sets_the_hours(world, client_for):
    from bokbro.events.tests.test_staff_events import form_data

    client = client_for(world.consultant)
    data = form_data(title="Internt kurs")
    data.pop("confirm_by_email")
    data["hold_hours"] = "48"
    assert client.post("/staff/events/new/", data).status_code == 302
    event = Event.objects.get(title="Internt kurs")
    assert (event.confirm_by_email, event.hold_hours) == (False, 48)
    data = form_data(title="For mange timer", hold_hours="500")
    response = client.post("/staff/events/new/", data)
    assert "168" in response.content.decode()  # the highest number of hours, in the message
    assert not Event.objects.filter(title="For mange timer").exists()


def test_the_library_named_lists_the_person_only_once_the_address_is_confirmed(world, client_for):
    """Someone registering without an account waits on the library manager's page to be
    listed as its staff (issue 12) — but only with an address shown to be theirs."""
    from bokbro.directory.models import PendingColleague

    event = make_event(world.agency, capacity=5)
    register(client_for(None), event, "ny.kollega@example.org", world.library)
    assert not PendingColleague.objects.exists()
    held = Registration.objects.get(event=event)
    client_for(None).post(f"/events/registration/{held.token}/confirm/")
    pending = PendingColleague.objects.get()
    assert (pending.library, pending.email) == (world.library, "ny.kollega@example.org")


def test_a_registration_through_the_api_naming_a_library_waits_for_its_manager(world, client_for):
    from bokbro.directory.models import PendingColleague

    event = make_event(world.agency, capacity=5, confirm_by_email=False)
    response = client_for(None).post(
        f"/api/events/{event.pk}/registrations",
        json.dumps(
            {"name": "Ny Kollega", "email": "ny@example.org", "library_id": world.library.pk}
        ),
        "application/json",
    )
    assert response.status_code == 201
    pending = PendingColleague.objects.get()
    assert (pending.library, pending.name) == (world.library, "Ny Kollega")
    # The manager sees the request on the library's people page.
    page = client_for(world.manager, language="en").get(
        f"/directory/libraries/{world.library.pk}/people/"
    )
    assert "Waiting for your confirmation" in page.content.decode()
    assert "ny@example.org" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "one_hour", "two_hours"),
    [
        ("en", "confirm within 1 hour;", "confirm within 2 hours;"),
        ("nb", "bekreft innen 1 time;", "bekreft innen 2 timer;"),
    ],
)
def test_the_sent_page_gives_the_hours_to_confirm_in_the_right_form(
    world, client_for, language, one_hour, two_hours
):
    event = make_event(world.agency, capacity=2)
    client = client_for(None, language=language)
    for hours, words in ((1, one_hour), (2, two_hours)):
        Event.objects.filter(pk=event.pk).update(hold_hours=hours)
        assert words in client.get(f"/events/{event.pk}/register/sent/").content.decode()
