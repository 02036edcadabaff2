"""A consultant (Kari) creates, edits, publishes, copies and cancels events on the staff pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from bokbro.core.models import AuditEntry
from bokbro.events.models import (
    Event,
    EventStatus,
    QuestionKind,
    RegistrationStatus,
    Session,
    Topic,
)
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

EVENT_FIELDS = {
    "kind": "course_series",
    "title": "Bokprat for barn",
    "summary": "Hvordan snakke om bøker med barn",
    "description": "Tre fysiske dager og **to** oppfølginger på nett.",
    "audience": "all_staff",
    "new_topic": "",
    "status": "published",
    "format": "hybrid",
    "venue": "Fredrikstad bibliotek",
    "venue_address": "Kirkegata 3, 1607 Fredrikstad",
    "municipality": "",
    "online_url": "",
    "price": "0",
    "registration_opens_at": "",
    "registration_closes_at": "",
    "capacity": "30",
    "waiting_list": "on",
    "quota_per_library": "2",
    "confirm_by_email": "on",
    "hold_hours": "24",
    "invitation_role": "",
    "cancellation_deadline": "",
    "binding_text": "",
    "promotion": "automatic",
    "offer_hours": "48",
    "reminder_hours": "48",
    "retention_months": "12",
}


def future_day(days: int = 40) -> date:
    return timezone.localdate() + timedelta(days=days)


def rows(prefix: str, items: list[dict[str, Any]], blank: int = 2, initial: int = 0) -> dict:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(items) + blank),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def session(day: date, starts: str = "10:00", ends: str = "15:00", **extra: Any) -> dict:
    return {"date": day.isoformat(), "starts": starts, "ends": ends, **extra}


def form_data(
    *,
    sessions: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """What the browser sends from the event form (unchecked boxes are left out)."""
    data = {**EVENT_FIELDS, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    if sessions is None:
        sessions = [session(future_day())]
    data.update(rows("sessions", sessions))
    data.update(rows("questions", questions or []))
    return data


def register(event: Event, n: int, **kwargs: Any) -> list[Any]:
    return [
        registration_create(event=event, name=f"Deltaker {i}", email=f"p{i}@example.org", **kwargs)
        for i in range(n)
    ]


# --- Creating --------------------------------------------------------------------------------


def test_consultant_creates_an_event_with_two_sessions_and_a_question_and_sees_it_listed(
    world, client_for
):
    client = client_for(world.consultant)
    assert client.get("/staff/events/new/").status_code == 200
    first, second = future_day(40), future_day(47)
    response = client.post(
        "/staff/events/new/",
        form_data(
            sessions=[
                session(first, "09:00", "15:30", title="Dag 1", venue="Fredrikstad bibliotek"),
                session(second, "13:00", "14:30", title="Oppfølging", online="on"),
            ],
            questions=[
                {"label": "Allergier", "kind": QuestionKind.TEXT},
                {
                    "label": "Overnatting",
                    "kind": QuestionKind.CHOICE,
                    "choices": "Ja, en natt\nNei\n",
                    "required": "on",
                },
            ],
            new_topic="Leselyst",
            municipality=str(world.municipality.pk),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(title="Bokprat for barn")
    assert response["Location"] == f"/staff/events/{event.pk}/"
    assert event.agency == world.agency
    assert event.status == EventStatus.PUBLISHED
    assert (event.capacity, event.quota_per_library) == (30, 2)
    sessions = list(event.sessions.all())
    assert [(timezone.localtime(s.starts_at).date(), s.title, s.online) for s in sessions] == [
        (first, "Dag 1", False),
        (second, "Oppfølging", True),
    ]
    assert timezone.localtime(sessions[0].starts_at).strftime("%H:%M") == "09:00"
    assert timezone.localtime(event.ends_at) == timezone.localtime(sessions[1].ends_at)
    questions = list(event.questions.all())
    assert [(q.label, q.kind, q.choice_list, q.required) for q in questions] == [
        ("Allergier", "text", [], False),
        ("Overnatting", "choice", ["Ja, en natt", "Nei"], True),
    ]
    assert [t.name for t in event.topics.all()] == ["Leselyst"]
    assert Topic.objects.filter(agency=world.agency, name="Leselyst").exists()
    assert AuditEntry.objects.filter(action="events.event.created").exists()

    listing = client.get("/staff/events/").content.decode()
    assert "Bokprat for barn" in listing
    assert f"/staff/events/{event.pk}/" in listing
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "Overnatting" in page and "Oppfølging" in page


def test_invalid_input_keeps_what_was_typed_and_says_what_is_wrong(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    day = future_day()
    response = client.post(
        "/staff/events/new/",
        form_data(
            title="",
            summary="Et sammendrag som skal stå igjen",
            capacity="-3",
            registration_opens_at=f"{day.isoformat()}T09:00",
            registration_closes_at=f"{(day - timedelta(days=5)).isoformat()}T09:00",
            sessions=[session(day, "15:00", "10:00", title="Baklengs")],
            questions=[{"label": "Hvilken buss?", "kind": QuestionKind.CHOICE, "choices": ""}],
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert Event.objects.count() == 0
    assert "ds-error-summary" in body
    assert "Et sammendrag som skal stå igjen" in body
    assert "Baklengs" in body and "Hvilken buss?" in body
    assert f'value="{day.isoformat()}"' in body
    assert "The session must end after it starts." in body
    assert "Registration must close after it opens." in body
    assert "Write at least two choices, one per line." in body
    assert 'aria-invalid="true"' in body


def test_error_messages_are_in_the_users_language(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "nb"
    response = client.post("/staff/events/new/", form_data(title=""))
    assert response.status_code == 200
    assert "Feltet er påkrevet." in response.content.decode()


def test_an_event_needs_a_session(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    response = client.post("/staff/events/new/", form_data(sessions=[]))
    assert response.status_code == 200
    assert "Add at least one session with a date and times." in response.content.decode()
    assert Event.objects.count() == 0


def test_registration_must_close_before_the_event_ends(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    day = future_day()
    response = client.post(
        "/staff/events/new/",
        form_data(
            sessions=[session(day)],
            registration_closes_at=f"{(day + timedelta(days=1)).isoformat()}T12:00",
        ),
    )
    assert response.status_code == 200
    assert "Registration must close before the event ends." in response.content.decode()
    assert Event.objects.count() == 0


def test_more_session_rows_without_javascript_keep_what_was_typed(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    data = form_data(
        title="",
        sessions=[session(future_day(40), title="Dag 1"), session(future_day(41), title="Dag 2")],
    )
    data["more_sessions"] = "1"
    response = client.post("/staff/events/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert Event.objects.count() == 0
    # Two typed rows, the two blank rows there were, and three more; no error messages yet.
    assert 'value="7" id="id_sessions-TOTAL_FORMS"' in body
    assert 'value="Dag 1"' in body and 'value="Dag 2"' in body
    assert "ds-error-summary" not in body


def test_editing_other_fields_leaves_the_sessions_alone(world, client_for):
    client = client_for(world.consultant)
    day = future_day()
    client.post("/staff/events/new/", form_data(sessions=[session(day, title="Dag 1")]))
    event = Event.objects.get()
    before = list(Session.objects.filter(event=event).values_list("pk", flat=True))
    response = client.post(
        f"/staff/events/{event.pk}/edit/",
        {
            **form_data(title="Bokprat for barn – høst", sessions=[]),
            **rows("sessions", [session(day, title="Dag 1", id=before[0])], initial=1),
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Bokprat for barn – høst"
    assert list(Session.objects.filter(event=event).values_list("pk", flat=True)) == before


def test_a_session_is_removed_with_its_checkbox(world, client_for):
    client = client_for(world.consultant)
    first, second = future_day(40), future_day(50)
    client.post("/staff/events/new/", form_data(sessions=[session(first), session(second)]))
    event = Event.objects.get()
    ids = list(event.sessions.values_list("pk", flat=True))
    response = client.post(
        f"/staff/events/{event.pk}/edit/",
        {
            **form_data(sessions=[]),
            **rows(
                "sessions",
                [session(first, id=ids[0]), session(second, id=ids[1], DELETE="on")],
                initial=2,
            ),
        },
    )
    assert response.status_code == 302
    assert list(event.sessions.values_list("pk", flat=True)) == ids[:1]
    event.refresh_from_db()
    assert timezone.localtime(event.ends_at).date() == first


def test_removing_the_middle_session_removes_that_one_and_keeps_the_others(world, client_for):
    """Day 2 is removed: days 1 and 3 keep their rows (the attendance and material on them),
    and nothing of day 2 moves over to day 3."""
    client = client_for(world.consultant)
    days = [future_day(40), future_day(50), future_day(60)]
    client.post(
        "/staff/events/new/",
        form_data(sessions=[session(day, title=f"Dag {i}") for i, day in enumerate(days, 1)]),
    )
    event = Event.objects.get()
    one, two, three = event.sessions.order_by("starts_at")
    page = client.get(f"/staff/events/{event.pk}/edit/").content.decode()
    assert f'value="{two.pk}" id="id_sessions-1-id"' in page
    response = client.post(
        f"/staff/events/{event.pk}/edit/",
        {
            **form_data(sessions=[]),
            **rows(
                "sessions",
                [
                    session(days[0], title="Dag 1", id=one.pk),
                    session(days[1], title="Dag 2", id=two.pk, DELETE="on"),
                    session(days[2], title="Dag 3", id=three.pk),
                ],
                initial=3,
            ),
        },
    )
    assert response.status_code == 302
    assert list(event.sessions.values_list("pk", "title")) == [
        (one.pk, "Dag 1"),
        (three.pk, "Dag 3"),
    ]


def test_the_edit_form_shows_the_event_as_it_is(world, client_for, event_factory):
    event = event_factory(title="Nettverkssamling", capacity=12)
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    body = client.get(f"/staff/events/{event.pk}/edit/").content.decode()
    assert 'value="Nettverkssamling"' in body
    assert 'name="capacity" class="ds-input" value="12"' in body
    start = timezone.localtime(event.starts_at)
    assert f'value="{start.date().isoformat()}"' in body
    assert f'value="{start.strftime("%H:%M")}"' in body
    assert "Price in NOK" in body


def test_capacity_below_the_seats_taken_is_refused_with_a_message(world, client_for, event_factory):
    event = event_factory(capacity=5)
    register(event, 4)
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    response = client.post(f"/staff/events/{event.pk}/edit/", form_data(capacity="3"))
    assert response.status_code == 200
    assert (
        "4 seats are already taken; the capacity cannot be lower than that."
        in response.content.decode()
    )
    event.refresh_from_db()
    assert event.capacity == 5


def test_one_seat_taken_is_counted_in_the_singular(world, client_for, event_factory):
    event = event_factory(capacity=1)
    register(event, 1)
    unlimited = event_factory(capacity=None)
    register(unlimited, 1)
    client = client_for(world.consultant, language="en")
    page = client.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "1 of 1 seat taken." in page
    page = client.get(f"/staff/events/{unlimited.pk}/participants/").content.decode()
    assert "1 seat taken (no limit)." in page
    response = client.post(f"/staff/events/{event.pk}/edit/", form_data(capacity="0"))
    assert (
        "1 seat is already taken; the capacity cannot be lower than that."
        in response.content.decode()
    )
    norsk = client_for(world.consultant, language="nb")
    page = norsk.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "1 av 1 plass tatt." in page


def test_raising_the_capacity_gives_waiting_people_seats_and_tells_them(
    world, client_for, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        people = register(event, 4)
    assert [p.status for p in people] == ["confirmed", "confirmed", "waiting", "waiting"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.consultant).post(
            f"/staff/events/{event.pk}/edit/", form_data(capacity="3")
        )
    assert response.status_code == 302
    statuses = [p.status for p in event.registrations.order_by("created_at", "pk")]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert [m.to for m in mail.outbox] == [["p2@example.org"]]
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (3, 3)


def test_a_new_topic_joins_the_agencys_list_once(world, client_for):
    Topic.objects.create(agency=world.agency, name="Leselyst")
    client = client_for(world.consultant)
    client.post("/staff/events/new/", form_data(new_topic="leselyst"))
    assert Topic.objects.filter(agency=world.agency).count() == 1
    assert list(Event.objects.get().topics.values_list("name", flat=True)) == ["Leselyst"]


def test_the_form_offers_the_agencys_topics_and_municipalities_only(world, client_for):
    Topic.objects.create(agency=world.agency, name="Leselyst")
    Topic.objects.create(agency=world.other_agency, name="Läslust")
    body = client_for(world.consultant).get("/staff/events/new/").content.decode()
    assert "Leselyst" in body and "Läslust" not in body
    assert "Fredrikstad" in body
    assert "Värnamo" not in body
    assert world.other_agency.name in body  # a possible co-organiser


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_seats_waiting_and_filters(world, client_for, event_factory):
    full = event_factory(title="Fullt kurs", capacity=1)
    register(full, 3)
    event_factory(title="Utkast til konferanse", kind="conference", status=EventStatus.DRAFT)
    past = event_factory(title="Gammelt kurs")
    Event.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=10), ends_at=timezone.now() - timedelta(days=9)
    )
    make_event(world.other_agency, title="Svenskt kurs")
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"

    body = client.get("/staff/events/").content.decode()
    assert "Fullt kurs" in body and "Utkast til konferanse" in body
    assert "Gammelt kurs" not in body and "Svenskt kurs" not in body
    assert "1 of 1" in body
    assert '<td class="num">2</td>' in body  # two waiting

    drafts = client.get("/staff/events/?when=drafts").content.decode()
    assert "Utkast til konferanse" in drafts and "Fullt kurs" not in drafts
    past_page = client.get("/staff/events/?when=past").content.decode()
    assert "Gammelt kurs" in past_page and "Fullt kurs" not in past_page
    conferences = client.get("/staff/events/?when=all&kind=conference").content.decode()
    assert "Utkast til konferanse" in conferences and "Gammelt kurs" not in conferences
    assert client.get("/staff/events/?when=nonsense&page=x").status_code == 200


def test_a_co_organised_event_is_on_both_agencies_lists(world, client_for, event_factory):
    event = event_factory(title="Felles konferanse")
    event.co_organisers.add(world.other_agency)
    johan = client_for(world.outsider, host="jonkoping.testserver")
    assert "Felles konferanse" in johan.get("/staff/events/").content.decode()
    assert johan.get(f"/staff/events/{event.pk}/participants/").status_code == 200


# --- Publish, copy, cancel ---------------------------------------------------------------------


def test_publishing_a_draft(world, client_for, event_factory):
    event = event_factory(status=EventStatus.DRAFT)
    response = client_for(world.consultant).post(f"/staff/events/{event.pk}/publish/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_copy_makes_a_draft_without_participants_moved_by_the_days_asked(
    world, client_for, event_factory
):
    event = event_factory(sessions=2, capacity=10)
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT)
    register(event, 3)
    response = client_for(world.consultant).post(
        f"/staff/events/{event.pk}/copy/", {"shift_days": "7"}
    )
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/events/{copy.pk}/edit/"
    assert copy.status == EventStatus.DRAFT
    assert copy.registrations.count() == 0 and copy.seats_taken == 0
    assert copy.title == event.title and copy.capacity == 10
    assert list(copy.questions.values_list("label", flat=True)) == ["Allergier"]
    assert copy.starts_at == event.starts_at + timedelta(days=7)
    assert copy.sessions.count() == 2


def test_cancelling_the_event_asks_first_then_tells_every_active_participant(
    world, client_for, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go out
        people = register(event, 3)
        gone = registration_create(event=event, name="Angret", email="gone@example.org")
        registration_cancel(registration=gone)
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    confirm = client.get(f"/staff/events/{event.pk}/cancel/")
    assert confirm.status_code == 200
    assert "3 people are registered or on the waiting list" in confirm.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/events/{event.pk}/cancel/", {"reason": "Foreleseren er syk."}
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all("Foreleseren er syk." in m.body for m in mail.outbox)
    # Cancelled events keep their content editable but stay cancelled.
    client.post(f"/staff/events/{event.pk}/edit/", form_data(title="Nytt navn"))
    event.refresh_from_db()
    assert (event.title, event.status) == ("Nytt navn", EventStatus.CANCELLED)
    assert event.registrations.filter(status=RegistrationStatus.CANCELLED).count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        {"sessions-TOTAL_FORMS": None, "sessions-INITIAL_FORMS": None},
        {"sessions-TOTAL_FORMS": "100000"},
        {"sessions-TOTAL_FORMS": "x"},
        {"sessions-0-date": "2031-02-30", "sessions-0-starts": "25:99"},
        {"registration_opens_at": "not a time", "price": "1e999", "capacity": "9" * 30},
        {"municipality": "999999", "topics": ["x", "0"], "co_organisers": "-1"},
        {"kind": "party", "status": "cancelled", "title": "\x00"},
    ],
)
def test_malformed_input_is_answered_with_the_form_not_an_error(world, client_for, tamper):
    data = form_data()
    for key, value in tamper.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    for extra in ({}, {"more_sessions": "1"}):
        response = client_for(world.consultant).post("/staff/events/new/", {**data, **extra})
        assert response.status_code == 200
    assert Event.objects.count() == 0


def test_the_list_of_events_has_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.consultant)

    def add(n: int) -> None:
        for i in range(n):
            event = make_event(world.agency, title=f"Kurs {i}", capacity=1)
            event.co_organisers.add(world.other_agency)
            register(event, 2)

    add(3)
    client.get("/staff/events/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/events/")
    add(27)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/staff/events/")
    assert response.content.decode().count('<td class="num">1</td>') == 30  # one waiting each
