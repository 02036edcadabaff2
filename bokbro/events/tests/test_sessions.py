"""Elective sessions: a session with its own seats (a workshop in a smaller room) that
participants choose when they register (services/session_seats.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from bokbro.events.models import Event, RegistrationStatus, Session, SessionPlace
from bokbro.events.services.events import SessionData, event_create, event_update
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import RegistrationError, registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def with_workshop(world: Any, *, workshop_seats: int, **overrides: Any) -> tuple[Event, Session]:
    """A day with a plenary session for everyone and a workshop after it."""
    start = timezone.now() + timedelta(days=30)
    event = event_create(
        actor=world.consultant,
        agency=world.agency,
        kind="course",
        title="Lesefestival",
        status="published",
        confirm_by_email=False,
        **{"capacity": 30, **overrides},
        sessions=[
            SessionData(starts_at=start, ends_at=start + timedelta(hours=2), title="Plenum"),
            SessionData(
                starts_at=start + timedelta(hours=3),
                ends_at=start + timedelta(hours=5),
                title="Verksted",
                capacity=workshop_seats,
            ),
        ],
    )
    return event, event.sessions.get(title="Verksted")


def places(session: Session) -> dict[str, str]:
    return dict(session.places.values_list("registration__email", "status"))


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "1 of 1 seat free", "20 of 20 seats free"),
        ("nb", "1 av 1 plass ledig", "20 av 20 plasser ledige"),
        ("nn", "1 av 1 plass ledig", "20 av 20 plassar ledige"),
        ("sv", "1 av 1 plats kvar", "20 av 20 platser kvar"),
    ],
)
def test_a_sessions_free_seats_read_right_for_one_seat_and_for_many(
    world, client_for, language, one, many
):
    start = timezone.now() + timedelta(days=30)
    event = event_create(
        actor=world.consultant,
        agency=world.agency,
        kind="course",
        title="Lesefestival",
        status="published",
        capacity=30,
        sessions=[
            SessionData(starts_at=start, ends_at=start + timedelta(hours=1), capacity=1),
            SessionData(
                starts_at=start + timedelta(hours=2),
                ends_at=start + timedelta(hours=3),
                capacity=20,
            ),
        ],
    )
    client = client_for(None, language=language)
    for url in (event.get_absolute_url(), f"/events/{event.pk}/register/"):
        page = client.get(url).content.decode()
        assert one in page and many in page, url


def test_a_workshop_gives_its_seats_then_a_waiting_list_and_says_so(
    world, client_for, django_capture_on_commit_callbacks
):
    event, workshop = with_workshop(world, workshop_seats=1)
    client = client_for(None, language="en")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "1 of 1 seat free" in page
    form = client.get(f"/events/{event.pk}/register/").content.decode()
    assert "Verksted" in form and "1 of 1 seat free" in form
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("a@example.org", "b@example.org"):
            response = client.post(
                f"/events/{event.pk}/register/",
                {
                    "name": "Deltaker",
                    "email": email,
                    "library": world.library.pk,
                    "sessions": [workshop.pk],
                },
            )
            assert response.status_code == 302
    assert places(workshop) == {"a@example.org": "seat", "b@example.org": "waiting"}
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1
    assert "full: waiting list" in client.get(f"/events/{event.pk}/register/").content.decode()
    # The confirmation and "my registration" list the person's sessions with their place.
    second = event.registrations.get(email="b@example.org")
    body = next(m.body for m in mail.outbox if m.to == ["b@example.org"])
    assert "Verksted" in body and "number 1 in line" in body
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Your sessions" in page and "number 1 in line" in page


def test_on_the_events_waiting_list_the_choice_waits_and_is_placed_with_the_seat(world):
    event, workshop = with_workshop(world, workshop_seats=5, capacity=1)
    first = registration_create(event=event, name="A", email="a@example.org", sessions=[workshop])
    second = registration_create(event=event, name="B", email="b@example.org", sessions=[workshop])
    assert second.status == RegistrationStatus.WAITING
    assert places(workshop) == {"a@example.org": "seat", "b@example.org": "chosen"}
    registration_cancel(registration=first)
    assert places(workshop) == {"b@example.org": "seat"}
    workshop.refresh_from_db()
    assert workshop.seats_taken == 1


def test_a_freed_workshop_seat_goes_to_its_waiting_list_and_the_person_is_told(
    world, django_capture_on_commit_callbacks
):
    event, workshop = with_workshop(world, workshop_seats=1)
    first = registration_create(event=event, name="A", email="a@example.org", sessions=[workshop])
    registration_create(
        event=event, name="B", email="b@example.org", sessions=[workshop], language="en"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    assert places(workshop) == {"b@example.org": "seat"}
    # Their confirmation (still in the outbox) first, then which session they got a seat in.
    told = [m for m in mail.outbox if m.to == ["b@example.org"]]
    assert "You got a seat in a session" in told[-1].subject
    assert "Verksted" in told[-1].body
    assert sum("in a session" in m.subject for m in mail.outbox) == 1


def test_a_workshops_one_taken_seat_reads_in_the_singular_for_the_staff(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=1)
    registration_create(event=event, name="Aisha", email="a@example.org", sessions=[workshop])
    none = [
        SessionData(
            starts_at=s.starts_at, ends_at=s.ends_at, title=s.title, capacity=c, session_id=s.pk
        )
        for s, c in zip(event.sessions.all(), (None, 0), strict=True)
    ]
    with pytest.raises(RegistrationError, match="1 seat is taken in the session “Verksted"):
        event_update(actor=world.consultant, agency=world.agency, event=event, sessions=none)
    staff = client_for(world.consultant, language="en")
    detail = staff.get(f"/staff/events/{event.pk}/").content.decode()
    assert "1 of 1 seat taken." in detail
    room = staff.get(f"/staff/events/{event.pk}/sessions/{workshop.pk}/").content.decode()
    assert "1 of 1 seat taken, 0 waiting" in room
    norsk = client_for(world.consultant, language="nb")
    room = norsk.get(f"/staff/events/{event.pk}/sessions/{workshop.pk}/").content.decode()
    assert "1 av 1 plass tatt, 0 på venteliste" in room


def test_two_sessions_at_the_same_time_cannot_both_be_chosen(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=5)
    parallel = Session.objects.create(
        event=event,
        title="Parallelt verksted",
        starts_at=workshop.starts_at + timedelta(hours=1),
        ends_at=workshop.ends_at,
        capacity=5,
    )
    response = client_for(None, language="en").post(
        f"/events/{event.pk}/register/",
        {
            "name": "A",
            "email": "a@example.org",
            "library": world.library.pk,
            "sessions": [workshop.pk, parallel.pk],
        },
    )
    assert response.status_code == 400
    assert "are at the same time; choose one of them" in response.content.decode()
    assert not event.registrations.exists()
    with pytest.raises(RegistrationError):
        registration_create(
            event=event, name="A", email="a@example.org", sessions=[workshop, parallel]
        )
    assert not event.registrations.exists() and not SessionPlace.objects.exists()


def test_the_api_lists_the_sessions_seats_and_takes_a_choice(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=1)
    client = client_for(None, language="en")
    sessions = client.get(f"/api/events/{event.pk}").json()["sessions"]
    assert [(s["title"], s["capacity"], s["seats_left"]) for s in sessions] == [
        ("Plenum", None, None),
        ("Verksted", 1, 1),
    ]
    url = f"/api/events/{event.pk}/registrations"
    body = {"name": "A", "email": "a@example.org", "organisation": "Skolen"}
    response = client.post(
        url, {**body, "sessions": [workshop.pk]}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["sessions"] == [{"session_id": workshop.pk, "status": "seat"}]
    plenum = event.sessions.get(title="Plenum")
    refused = client.post(
        url,
        {**body, "email": "b@example.org", "sessions": [plenum.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["sessions"]


def test_staff_give_a_session_seats_and_see_who_is_in_it(world, client_for):
    event = make_event(world.agency, sessions=2, confirm_by_email=False)
    rows = [
        SessionData(
            starts_at=s.starts_at, ends_at=s.ends_at, capacity=1 if i else None, session_id=s.pk
        )
        for i, s in enumerate(event.sessions.order_by("starts_at"))
    ]
    event_update(actor=world.consultant, agency=world.agency, event=event, sessions=rows)
    workshop = event.sessions.get(capacity=1)
    registration_create(event=event, name="Aisha", email="a@example.org", sessions=[workshop])
    staff = client_for(world.consultant, language="en")
    # Staff registering someone choose the sessions for them.
    response = staff.post(
        f"/staff/events/{event.pk}/participants/register/",
        {
            "name": "Bjørn",
            "email": "b@example.org",
            "organisation": "Skolen",
            "sessions": [workshop.pk],
        },
    )
    assert response.status_code == 302
    participants = staff.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "1 of 1 seat taken, 1 waiting" in participants
    room = staff.get(f"/staff/events/{event.pk}/sessions/{workshop.pk}/").content.decode()
    assert room.index("Aisha") < room.index("waiting list") < room.index("Bjørn")
    # A second seat moves the waiting list up; no session can drop the people in it.
    more = [
        rows[0],
        SessionData(
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            capacity=2,
            session_id=workshop.pk,
        ),
    ]
    event_update(actor=world.consultant, agency=world.agency, event=event, sessions=more)
    assert set(places(workshop).values()) == {"seat"}
    fewer = [
        rows[0],
        SessionData(starts_at=workshop.starts_at, ends_at=workshop.ends_at, session_id=workshop.pk),
    ]
    with pytest.raises(RegistrationError):
        event_update(actor=world.consultant, agency=world.agency, event=event, sessions=fewer)


def test_the_participant_export_says_who_is_in_which_workshop(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=1)
    for name in ("Aisha", "Bjørn"):
        registration_create(
            event=event, name=name, email=f"{name.lower()}@example.org", sessions=[workshop]
        )
    registration_create(event=event, name="Cecilie", email="c@example.org")
    staff = client_for(world.consultant, language="en")
    lines = staff.get(f"/staff/events/{event.pk}/participants.csv").content.decode().splitlines()
    header = lines[0].lstrip("\ufeff").split(";" if ";" in lines[0] else ",")
    assert "Sessions" in header
    rows = {line.split(",")[0].split(";")[0]: line for line in lines[1:]}
    assert "Verksted" in rows["Aisha"] and "Seat in the session" in rows["Aisha"]
    assert "On the session's waiting list" in rows["Bjørn"]
    assert "Verksted" not in rows["Cecilie"]


def test_a_manager_chooses_the_workshop_for_the_colleagues_registered(world, client_for):
    from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person

    colleague = Person.objects.create(name="Per Kollega", email="per@fredrikstad.example")
    LibraryRole.objects.create(person=colleague, library=world.library, role=LibraryRoleKind.STAFF)
    event, workshop = with_workshop(world, workshop_seats=1)
    manager = client_for(world.manager, language="en")
    page = manager.get(f"/events/{event.pk}/register-colleagues/").content.decode()
    assert "Verksted" in page and "1 of 1 seat free" in page
    manager.post(
        f"/events/{event.pk}/register-colleagues/",
        {"people": [str(colleague.pk), str(world.staff_person.pk)], "sessions": [workshop.pk]},
    )
    # One seat in the workshop: one colleague sits, the other waits for it.
    assert sorted(places(workshop).values()) == ["seat", "waiting"]
    assert set(places(workshop)) == {"per@fredrikstad.example", world.staff.email}
