"""Removing an elective session people chose: the event form asks first, the removal tells each
of them once in their language, and a registration choosing it meanwhile is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from bokbro.core.models import AuditEntry
from bokbro.events.mails import notices_send
from bokbro.events.models import Event, Registration, Session, SessionPlace
from bokbro.events.services.registrations import SessionRemoved, registration_create
from bokbro.events.tests.test_sessions import with_workshop
from bokbro.events.tests.test_staff_events import form_data, rows

pytestmark = pytest.mark.django_db


def row(session: Session, **extra: Any) -> dict[str, Any]:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "id": session.pk,
        "date": starts.date().isoformat(),
        "starts": starts.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "title": session.title,
        "capacity": "" if session.capacity is None else session.capacity,
        **extra,
    }


def edit(client: Any, event: Event, sessions: list[dict[str, Any]], **fields: Any) -> Any:
    return client.post(
        f"/staff/events/{event.pk}/edit/",
        {
            **form_data(sessions=[], title=event.title, **fields),
            **rows("sessions", sessions, initial=len(sessions)),
        },
    )


@pytest.fixture
def chosen(world: Any) -> tuple[Event, Session, Session]:
    """A workshop with one seat: Aisha (bokmål) sits in it, Bjorn (Swedish) waits for it, and
    Cecilie registered without choosing it; everyone's confirmation is sent."""
    event, workshop = with_workshop(world, workshop_seats=1)
    for name, language in (("Aisha", "nb"), ("Bjorn", "sv")):
        registration_create(
            event=event,
            name=name,
            email=f"{name.lower()}@example.org",
            sessions=[workshop],
            language=language,
        )
    registration_create(event=event, name="Cecilie", email="cecilie@example.org", language="nb")
    notices_send(event_id=event.pk)
    mail.outbox.clear()
    return event, event.sessions.get(title="Plenum"), workshop


def test_removing_a_chosen_session_asks_first_and_keeps_what_was_typed(world, client_for, chosen):
    event, plenum, workshop = chosen
    staff = client_for(world.consultant, language="en")
    response = edit(
        staff,
        event,
        [row(plenum), row(workshop, DELETE="on")],
        summary="Ny tekst som ikke skal gå tapt",
    )
    assert response.status_code == 200
    page = response.content.decode()
    warning = f"2 people have chosen “{workshop.label}”: removing it takes their place in it."
    # In the summary at the top (a link to the box) and beside the session's row.
    assert page.count(warning) == 2
    assert "Remove it and tell them by e-mail" in page
    assert "Ny tekst som ikke skal gå tapt" in page
    assert event.sessions.filter(pk=workshop.pk).exists()
    assert SessionPlace.objects.filter(session=workshop).count() == 2
    event.refresh_from_db()
    assert event.summary != "Ny tekst som ikke skal gå tapt"
    assert not mail.outbox
    assert not AuditEntry.objects.filter(action="events.session.removed").exists()


def test_one_person_reads_in_the_singular_in_norwegian(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=3)
    registration_create(event=event, name="Aisha", email="a@example.org", sessions=[workshop])
    plenum = event.sessions.get(title="Plenum")
    emptied = {"id": workshop.pk}  # the row's fields emptied: it is removed too
    response = edit(client_for(world.consultant, language="nb"), event, [row(plenum), emptied])
    page = response.content.decode()
    assert "1 person har valgt «Verksted" in page
    assert "mister deltakeren plassen sin i den" in page
    assert "Fjern økten og gi dem beskjed på e-post" in page
    assert event.sessions.filter(pk=workshop.pk).exists()


def test_with_the_box_ticked_the_session_goes_and_each_chooser_is_told_once_in_their_language(
    world, client_for, chosen, django_capture_on_commit_callbacks
):
    event, plenum, workshop = chosen
    staff = client_for(world.consultant, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            staff, event, [row(plenum), row(workshop, DELETE="on", confirm_removal="on")]
        )
    assert response.status_code == 302
    assert list(event.sessions.values_list("title", flat=True)) == ["Plenum"]
    assert not SessionPlace.objects.exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["aisha@example.org", "bjorn@example.org"]
    by_person = {m.to[0]: m for m in mail.outbox}
    norsk, svensk = by_person["aisha@example.org"], by_person["bjorn@example.org"]
    assert norsk.subject.startswith("En økt utgår: Lesefestival")
    assert "Påmeldingen din til selve arrangementet gjelder fortsatt." in norsk.body
    assert "Verksted" in norsk.body
    assert svensk.subject.startswith("Ett tillfälle ställs in: Lesefestival")
    assert "Din anmälan till själva evenemanget gäller fortfarande." in svensk.body
    # No other elective session has seats: nobody is pointed to one.
    assert "write to the organiser" not in norsk.body and "skrive til arrangøren" not in norsk.body
    registration = Registration.objects.get(email="aisha@example.org")
    assert registration.is_active
    assert registration.get_absolute_url() in norsk.body
    # The calendar file holds the event's sessions as they are now: the workshop is gone.
    cal = Calendar.from_ical(norsk.attachments[0][1])
    summaries = [str(c["SUMMARY"]) for c in cal.walk("VEVENT")]
    assert summaries == ["Lesefestival: Plenum"]


def test_the_mail_says_other_sessions_have_free_seats_where_they_do(
    world, client_for, chosen, django_capture_on_commit_callbacks
):
    event, plenum, workshop = chosen
    later = Session.objects.create(
        event=event,
        title="Verksted 2",
        starts_at=workshop.starts_at + timezone.timedelta(hours=3),
        ends_at=workshop.ends_at + timezone.timedelta(hours=3),
        capacity=10,
    )
    staff = client_for(world.consultant, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        edit(
            staff,
            event,
            [row(plenum), row(later), row(workshop, DELETE="on", confirm_removal="on")],
        )
    message = next(m for m in mail.outbox if m.to == ["aisha@example.org"])
    body = message.body
    assert "Andre økter på arrangementet har fortsatt ledige plasser." in body
    # The mail points to the page of the personal link where another is chosen.
    aisha = event.registrations.get(email="aisha@example.org")
    link = f"/events/registration/{aisha.token}/sessions/"
    assert "Du kan velge en annen med lenken din:\nhttp://" in body and link in body
    assert f'{link}"' in str(message.alternatives[0][0])
    page = client_for(None, language="nb").get(link).content.decode()
    assert "Verksted 2" in page and "Lagre øktene mine" in page


def test_the_removal_is_in_the_events_history_with_how_many_were_affected(
    world, client_for, chosen
):
    event, plenum, workshop = chosen
    staff = client_for(world.consultant, language="en")
    edit(staff, event, [row(plenum), row(workshop, DELETE="on", confirm_removal="on")])
    entry = AuditEntry.objects.get(action="events.session.removed")
    assert entry.target_id == str(event.pk) and entry.actor == world.consultant
    assert entry.data["people"] == 2 and entry.data["session"] == "Verksted"
    assert entry.data["starts_at"] == workshop.starts_at.isoformat()
    assert "Session removed" in staff.get(f"/staff/events/{event.pk}/").content.decode()


def test_a_choice_waiting_for_a_seat_on_the_event_counts_as_chosen(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=5, capacity=1)
    registration_create(event=event, name="A", email="a@example.org")
    registration_create(event=event, name="B", email="b@example.org", sessions=[workshop])
    assert SessionPlace.objects.get().status == "chosen"
    plenum = event.sessions.get(title="Plenum")
    staff = client_for(world.consultant, language="en")
    response = edit(staff, event, [row(plenum), row(workshop, DELETE="on")])
    assert "1 person has chosen" in response.content.decode()
    assert event.sessions.filter(pk=workshop.pk).exists()


def test_a_session_nobody_chose_is_removed_without_the_question(
    world, client_for, django_capture_on_commit_callbacks
):
    event, workshop = with_workshop(world, workshop_seats=5)
    registration_create(event=event, name="A", email="a@example.org")
    notices_send(event_id=event.pk)
    mail.outbox.clear()
    plenum = event.sessions.get(title="Plenum")
    staff = client_for(world.consultant, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(staff, event, [row(plenum), row(workshop, DELETE="on")])
    assert response.status_code == 302
    assert not event.sessions.filter(pk=workshop.pk).exists()
    assert not mail.outbox
    assert AuditEntry.objects.get(action="events.session.removed").data["people"] == 0


# --- A registration choosing a session that was just removed -----------------------------


def test_the_registration_service_refuses_a_session_removed_meanwhile(world):
    event, workshop = with_workshop(world, workshop_seats=5)
    Session.objects.filter(pk=workshop.pk).delete()  # the staff's removal, between form and lock
    with translation.override("sv"):
        with pytest.raises(SessionRemoved) as refusal:
            registration_create(event=event, name="A", email="a@example.org", sessions=[workshop])
        assert str(refusal.value.message) == (
            "Ett tillfälle du valde har just tagits bort från evenemanget. Välj igen."
        )
    assert not event.registrations.exists() and not SessionPlace.objects.exists()


def test_the_registration_form_says_the_session_was_removed_and_keeps_the_answers(
    world, client_for
):
    event, workshop = with_workshop(world, workshop_seats=5)
    workshop_id = workshop.pk
    workshop.delete()
    response = client_for(None, language="nb").post(
        f"/events/{event.pk}/register/",
        {
            "name": "Åse Deltaker",
            "email": "ase@example.org",
            "organisation": "Skolen i Sarpsborg",
            "sessions": [workshop_id],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "En økt du valgte, er nettopp fjernet fra arrangementet. Velg på nytt." in page
    assert 'value="Åse Deltaker"' in page and 'value="Skolen i Sarpsborg"' in page
    assert not event.registrations.exists()


def test_the_api_refuses_a_removed_session_with_the_message(world, client_for):
    event, workshop = with_workshop(world, workshop_seats=5)
    workshop_id = workshop.pk
    workshop.delete()
    response = client_for(None, language="en").post(
        f"/api/events/{event.pk}/registrations",
        {
            "name": "A",
            "email": "a@example.org",
            "organisation": "Skolen",
            "sessions": [workshop_id],
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["sessions"]
    assert "has just been removed from the event" in str(errors)
    assert not event.registrations.exists()
