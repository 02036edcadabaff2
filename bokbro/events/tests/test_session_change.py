"""A participant changes their elective sessions with their personal link
(`/events/registration/<token>/sessions/`, places.registration_sessions_change)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bokbro.core.models import AuditEntry
from bokbro.events.models import Event, Registration, Session, SessionPlace
from bokbro.events.services.events import SessionData, event_create
from bokbro.events.services.places import registration_cancel, registration_sessions_change
from bokbro.events.services.registrations import SessionRemoved, registration_create

pytestmark = pytest.mark.django_db


def workshops(world: Any, *, first: int = 1, second: int = 5, **overrides: Any) -> Event:
    """A plenary for everyone, then two workshops at the same time (one to choose), then a
    third workshop later in the day."""
    start = timezone.now() + timedelta(days=30)
    return event_create(
        actor=world.consultant,
        agency=world.agency,
        kind="course",
        title="Lesefestival",
        status="published",
        confirm_by_email=False,
        **{"capacity": 30, **overrides},
        sessions=[
            SessionData(starts_at=start, ends_at=start + timedelta(hours=1), title="Plenum"),
            SessionData(
                starts_at=start + timedelta(hours=2),
                ends_at=start + timedelta(hours=3),
                title="Bildebøker",
                capacity=first,
            ),
            SessionData(
                starts_at=start + timedelta(hours=2),
                ends_at=start + timedelta(hours=3),
                title="Lydbøker",
                capacity=second,
            ),
            SessionData(
                starts_at=start + timedelta(hours=4),
                ends_at=start + timedelta(hours=5),
                title="Tegneserier",
                capacity=10,
            ),
        ],
    )


def session(event: Event, title: str) -> Session:
    return event.sessions.get(title=title)


def register(event: Event, email: str, *titles: str, language: str = "en") -> Registration:
    return registration_create(
        event=event,
        name=email.split("@")[0].title(),
        email=email,
        organisation="Skolen",
        language=language,
        sessions=[session(event, t) for t in titles],
    )


def where(event: Event, email: str) -> dict[str, str]:
    return dict(
        SessionPlace.objects.filter(
            registration__event=event, registration__email=email
        ).values_list("session__title", "status")
    )


def url(registration: Registration) -> str:
    return f"/events/registration/{registration.token}/sessions/"


def calendar_titles(message: Any, status: str = "CONFIRMED") -> list[str]:
    cal = Calendar.from_ical(message.attachments[0][1])
    return [str(c["SUMMARY"]) for c in cal.walk("VEVENT") if str(c["STATUS"]) == status]


def test_moving_to_a_free_workshop_frees_the_seat_for_the_first_waiting(
    world, client_for, django_capture_on_commit_callbacks
):
    event = workshops(world, first=1)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go out
        aisha = register(event, "aisha@example.org", "Bildebøker")
        register(event, "per@example.org", "Bildebøker")  # waiting for Aisha's seat
    assert where(event, "per@example.org") == {"Bildebøker": "waiting"}
    client = client_for(None, language="en")
    page = client.get(aisha.get_absolute_url()).content.decode()
    assert "Change your sessions" in page and url(aisha) in page
    form = client.get(url(aisha)).content.decode()
    checked = session(event, "Bildebøker").pk
    assert f'value="{checked}" id="id_sessions_0" checked' in form.replace("\n", "")
    assert "4 of 5 seats free" not in form and "5 of 5 seats free" in form

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(aisha), {"sessions": [session(event, "Lydbøker").pk]})
    assert response.status_code == 302 and response.url == aisha.get_absolute_url()
    assert where(event, "aisha@example.org") == {"Lydbøker": "seat"}
    assert where(event, "per@example.org") == {"Bildebøker": "seat"}
    assert session(event, "Bildebøker").seats_taken == 1
    assert session(event, "Lydbøker").seats_taken == 1
    page = client.get(aisha.get_absolute_url()).content.decode()
    assert "You have a seat in “Lydbøker" in page
    # Per is told once about his seat; Aisha once about her change, with her new calendar.
    assert sorted(m.to[0] for m in mail.outbox) == ["aisha@example.org", "per@example.org"]
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person["per@example.org"].subject.startswith("You got a seat in a session")
    changed = by_person["aisha@example.org"]
    assert changed.subject.startswith("Your sessions are changed: Lesefestival")
    assert "Lydbøker" in changed.body and aisha.get_absolute_url() in changed.body
    assert calendar_titles(changed) == ["Lesefestival: Plenum", "Lesefestival: Lydbøker"]
    # The workshop given up is taken out of her calendar.
    assert calendar_titles(changed, "CANCELLED") == ["Lesefestival: Bildebøker"]
    entry = AuditEntry.objects.get(action="events.registration.sessions_changed")
    assert entry.data["added"] == [session(event, "Lydbøker").pk]
    assert entry.data["removed"] == [checked]


def test_choosing_a_full_workshop_puts_you_on_its_waiting_list_and_says_your_number(
    world, client_for
):
    event = workshops(world, second=1)
    register(event, "bjorn@example.org", "Lydbøker")  # the seat
    register(event, "cecilie@example.org", "Lydbøker")  # number 1 in line
    aisha = register(event, "aisha@example.org", "Tegneserier")
    client = client_for(None, language="en")
    assert "full: waiting list" in client.get(url(aisha)).content.decode()
    response = client.post(
        url(aisha),
        {"sessions": [session(event, "Lydbøker").pk, session(event, "Tegneserier").pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "You are number 2 on the waiting list for “Lydbøker" in page
    assert "You have a seat in “Tegneserier" in page  # kept as it was
    assert where(event, "aisha@example.org") == {"Lydbøker": "waiting", "Tegneserier": "seat"}
    assert session(event, "Lydbøker").seats_taken == 1


def test_a_removed_or_foreign_session_changes_nothing_and_asks_to_choose_again(world, client_for):
    event = workshops(world)
    other = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker")
    gone = session(event, "Tegneserier")
    gone_pk = gone.pk
    gone.delete()
    client = client_for(None, language="en")
    mail.outbox.clear()
    for chosen in (gone_pk, session(other, "Lydbøker").pk):
        response = client.post(url(aisha), {"sessions": [chosen]})
        assert response.status_code == 400
        assert "A session you chose has just been removed from the event. Choose again." in (
            response.content.decode()
        )
        assert where(event, "aisha@example.org") == {"Bildebøker": "seat"}
    assert not mail.outbox
    assert not AuditEntry.objects.filter(action="events.registration.sessions_changed").exists()


def test_a_session_removed_once_the_form_is_checked_refuses_the_whole_change(world):
    event = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker")
    lydboker, tegneserier = session(event, "Lydbøker"), session(event, "Tegneserier")
    Session.objects.filter(pk=tegneserier.pk).delete()
    with pytest.raises(SessionRemoved):
        registration_sessions_change(registration=aisha, sessions=[lydboker, tegneserier])
    assert where(event, "aisha@example.org") == {"Bildebøker": "seat"}
    assert Session.objects.get(pk=lydboker.pk).seats_taken == 0


def test_two_workshops_at_the_same_time_are_refused_as_on_the_registration_form(world, client_for):
    event = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker")
    client = client_for(None, language="en")
    both = [session(event, "Bildebøker").pk, session(event, "Lydbøker").pk]
    response = client.post(url(aisha), {"sessions": both})
    assert response.status_code == 400
    assert "are at the same time; choose one of them." in response.content.decode()
    assert where(event, "aisha@example.org") == {"Bildebøker": "seat"}


def test_a_cancelled_registration_cannot_change_its_sessions(world, client_for):
    event = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker")
    registration_cancel(registration=aisha)
    client = client_for(None, language="en")
    assert "Change your sessions" not in client.get(aisha.get_absolute_url()).content.decode()
    for response in (
        client.get(url(aisha), follow=True),
        client.post(url(aisha), {"sessions": [session(event, "Lydbøker").pk]}, follow=True),
    ):
        assert "its sessions cannot be changed" in response.content.decode()
    assert where(event, "aisha@example.org") == {}
    assert session(event, "Lydbøker").seats_taken == 0


def test_after_the_cancellation_deadline_the_participant_is_sent_to_the_organiser(
    world, client_for
):
    event = workshops(world)
    aisha = register(event, "aisha@example.org", "Bildebøker")
    Event.objects.filter(pk=event.pk).update(
        cancellation_deadline=timezone.now() - timedelta(hours=1)
    )
    client = client_for(None, language="en")
    assert "Change your sessions" not in client.get(aisha.get_absolute_url()).content.decode()
    response = client.post(url(aisha), {"sessions": []}, follow=True)
    assert "Contact the organiser to change your sessions." in response.content.decode()
    assert where(event, "aisha@example.org") == {"Bildebøker": "seat"}


def test_the_confirmation_comes_once_in_the_participants_language_with_the_new_calendar(
    world, client_for, django_capture_on_commit_callbacks
):
    event = workshops(world)
    with django_capture_on_commit_callbacks(execute=True):
        aisha = register(event, "aisha@example.org", "Bildebøker", language="nb")
    client = client_for(None, language="en")  # the page in English; the mail as registered
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(aisha),
            {"sessions": [session(event, "Lydbøker").pk, session(event, "Tegneserier").pk]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Øktene dine er endret: Lesefestival")
    assert "Øktvalget ditt på «Lesefestival» er endret." in message.body
    assert calendar_titles(message) == [
        "Lesefestival: Plenum",
        "Lesefestival: Lydbøker",
        "Lesefestival: Tegneserier",
    ]


def test_on_the_events_waiting_list_the_new_choice_waits_for_a_seat(world, client_for):
    event = workshops(world, capacity=1)
    register(event, "bjorn@example.org")
    aisha = register(event, "aisha@example.org", "Bildebøker")
    assert aisha.status == "waiting"
    response = client_for(None, language="en").post(
        url(aisha), {"sessions": [session(event, "Lydbøker").pk]}, follow=True
    )
    assert "is kept for you for when you get a seat on the event" in response.content.decode()
    assert where(event, "aisha@example.org") == {"Lydbøker": "chosen"}
    assert session(event, "Lydbøker").seats_taken == 0


def test_a_wrong_link_is_not_found(client_for):
    response = client_for(None, language="en").get("/events/registration/not-a-token/sessions/")
    assert response.status_code == 404
