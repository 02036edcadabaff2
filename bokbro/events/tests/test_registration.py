"""Registration as library staff and the public live it: seats, waiting list, quotas, the
personal link, offers, approvals and the e-mails with calendar files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bokbro.directory.models import Library, LibraryKind, LibraryRole, LibraryRoleKind, Person
from bokbro.events.models import (
    Event,
    EventStatus,
    InvitationRole,
    Promotion,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.events.services.events import event_update
from bokbro.events.services.places import offers_expire, registration_cancel
from bokbro.events.services.registrations import EventFull, RegistrationClosed, registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """These tests read the English interface."""

    def make(user, host="testserver"):
        return client_for(user, host=host, language="en")

    return make


def register(client, event, email, name="Deltaker", library=None, **extra):
    data = {"name": name, "email": email, "library": library.pk if library else "", **extra}
    if not library:
        data.setdefault("organisation", "Skolen")
    return client.post(f"/events/{event.pk}/register/", data)


def test_registering_confirms_a_seat_and_mails_the_calendar_file_and_personal_link(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(
        world.agency,
        capacity=2,
        online_url="https://meet.example.org/abc",
        confirm_by_email=False,  # held places: test_email_confirmation.py
    )
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, "aisha@example.org", "Aisha", world.library)
    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert registration.status == RegistrationStatus.CONFIRMED

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aisha@example.org"]
    assert event.title in message.subject
    assert registration.get_absolute_url() in message.body
    assert "https://meet.example.org/abc" in message.body  # confirmed: the online link is sent
    (_filename, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    cal = Calendar.from_ical(content)
    vevents = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(vevents) == 1 and str(vevents[0]["summary"]) == event.title

    page = client.get(registration.get_absolute_url()).content.decode()
    assert "https://meet.example.org/abc" in page


def test_beyond_capacity_people_queue_in_order_and_are_told_their_place(world, client_for):
    event = make_event(world.agency, capacity=1)
    client = client_for(None)
    register(client, event, "first@example.org", library=world.library)
    register(client, event, "second@example.org", library=world.library)
    register(client, event, "third@example.org", library=world.library)
    waiting = list(event.registrations.waiting())
    assert [r.email for r in waiting] == ["second@example.org", "third@example.org"]
    assert [r.waiting_position for r in waiting] == [1, 2]
    page = client.get(waiting[1].get_absolute_url()).content.decode()
    assert "number 2 in line" in page


def test_without_a_waiting_list_a_full_event_says_so(world, client_for):
    event = make_event(world.agency, capacity=1, waiting_list=False)
    client = client_for(None)
    register(client, event, "first@example.org", library=world.library)
    response = register(client, event, "second@example.org", library=world.library)
    assert response.status_code == 400
    assert "The event is full." in response.content.decode()
    assert event.registrations.count() == 1


def test_the_library_quota_sends_the_third_from_a_library_to_the_waiting_list(world):
    event = make_event(world.agency, capacity=10, quota_per_library=2)
    for i in range(3):
        registration_create(
            event=event, name=f"F{i}", email=f"f{i}@example.org", library=world.library
        )
    other = registration_create(
        event=event, name="S", email="s@example.org", library=world.other_library
    )
    statuses = list(event.registrations.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "waiting", "confirmed"]
    assert other.status == RegistrationStatus.CONFIRMED


def test_a_person_registers_once_whatever_the_case_of_their_address(world, client_for):
    event = make_event(world.agency)
    client = client_for(None)
    register(client, event, "Kari@Example.org", library=world.library)
    response = register(client, event, "kari@example.ORG", library=world.library)
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert event.registrations.count() == 1


def test_closing_time_is_checked_on_the_server(world, client_for):
    event = make_event(world.agency, registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = register(client_for(None), event, "late@example.org", library=world.library)
    assert "Registration is closed." in response.content.decode()
    assert not event.registrations.exists()
    with pytest.raises(RegistrationClosed):
        registration_create(event=event, name="Late", email="late@example.org")


def test_registration_that_has_not_opened_is_refused(world):
    event = make_event(world.agency, registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(RegistrationClosed):
        registration_create(event=event, name="Early", email="early@example.org")


def test_an_invitation_for_library_managers_refuses_their_staff(world, client_for):
    event = make_event(world.agency, invitation_role=InvitationRole.LIBRARY_MANAGERS)
    response = register(client_for(world.staff), event, world.staff.email, library=world.library)
    assert "only for invited participants" in response.content.decode()
    response = register(client_for(None), event, "anon@example.org", library=world.library)
    assert "Please sign in first" in response.content.decode()
    register(client_for(world.manager), event, world.manager.email, library=world.library)
    assert [r.email for r in event.registrations.all()] == [world.manager.email]


def test_binding_registration_must_be_accepted(world, client_for):
    event = make_event(world.agency, binding_text="Ved uteblivelse faktureres 500 kr.")
    client = client_for(None)
    response = register(client, event, "b@example.org", library=world.library)
    assert response.status_code == 400
    assert "You must accept the terms to register." in response.content.decode()
    register(client, event, "b@example.org", library=world.library, accept_terms="on")
    assert event.registrations.get().accepted_binding_terms


def test_extra_questions_are_asked_and_required_ones_enforced(world, client_for):
    event = make_event(world.agency)
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT, required=True)
    event.questions.create(label="Overnatting", kind=QuestionKind.YES_NO)
    client = client_for(None)
    response = register(client, event, "q@example.org", library=world.library)
    assert response.status_code == 400
    assert event.registrations.count() == 0
    questions = {q.label: q.pk for q in event.questions.all()}
    register(
        client,
        event,
        "q@example.org",
        library=world.library,
        **{
            f"question_{questions['Allergier']}": "Nøtter",
            f"question_{questions['Overnatting']}": "yes",
        },
    )
    assert event.registrations.get().answers == {"Allergier": "Nøtter", "Overnatting": "yes"}


def test_a_form_with_errors_keeps_what_was_typed(world, client_for):
    event = make_event(world.agency)
    response = client_for(None).post(
        f"/events/{event.pk}/register/", {"name": "Ola Nordmann", "email": "not-an-address"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Ola Nordmann"' in page
    assert 'value="not-an-address"' in page


def test_cancelling_by_the_personal_link_promotes_the_next_and_tells_both(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1)
    first = registration_create(event=event, name="A", email="a@example.org", language="en")
    second = registration_create(event=event, name="B", email="b@example.org", language="sv")
    client = client_for(None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/registration/{first.token}/cancel/")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert second.status == RegistrationStatus.CONFIRMED
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "cancelled" in subjects["a@example.org"]
    # Each mail is in the language the person registered in.
    assert subjects["b@example.org"].startswith("Du har fått en plats")
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_after_the_cancellation_deadline_the_participant_cannot_cancel(world, client_for):
    event = make_event(world.agency, cancellation_deadline=timezone.now() - timedelta(hours=1))
    registration = registration_create(
        event=event, name="A", email="a@example.org", staff_override=True
    )
    client = client_for(None)
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "The cancellation deadline has passed" in page
    client.post(f"/events/registration/{registration.token}/cancel/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    # Staff still can.
    registration_cancel(registration=registration, by_staff=True)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_after_the_event_is_over_the_participant_is_not_offered_to_cancel(world, client_for):
    event = make_event(world.agency)
    registration = registration_create(
        event=event, name="A", email="a@example.org", staff_override=True
    )
    # The course took place yesterday.
    yesterday = timezone.now() - timedelta(days=1)
    Session.objects.filter(event=event).update(
        starts_at=yesterday - timedelta(hours=3), ends_at=yesterday
    )
    Event.objects.filter(pk=event.pk).update(
        starts_at=yesterday - timedelta(hours=3), ends_at=yesterday
    )
    client = client_for(None)

    page = client.get(registration.get_absolute_url()).content.decode()
    assert "Cancel my registration" not in page
    assert "cancellation deadline" not in page
    client.post(f"/events/registration/{registration.token}/cancel/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_link_with_one_letter_changed_is_refused_and_says_so(world, client_for):
    event = make_event(world.agency)
    registration = registration_create(event=event, name="A", email="a@example.org")
    token = registration.token
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = client_for(None)
    for url in [f"/events/registration/{changed}/", f"/events/registration/{changed}/cancel/"]:
        response = (
            client.get(url) if url.endswith("/") and "cancel" not in url else client.post(url)
        )
        assert response.status_code == 404
        assert "The link does not work" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_an_offered_seat_must_be_accepted_in_time_or_passes_on(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, capacity=1, promotion=Promotion.OFFER, offer_hours=24)
    holder = registration_create(event=event, name="H", email="h@example.org")
    first = registration_create(event=event, name="W1", email="w1@example.org")
    second = registration_create(event=event, name="W2", email="w2@example.org")
    registration_cancel(registration=holder)
    first.refresh_from_db()
    assert first.status == RegistrationStatus.OFFERED
    assert first.offer_expires_at > timezone.now() + timedelta(hours=23)

    # Nobody accepts; the offer runs out and passes to the next in line.
    assert offers_expire(now=timezone.now() + timedelta(hours=25)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.DECLINED
    assert second.status == RegistrationStatus.OFFERED

    client = client_for(None)
    client.post(f"/events/registration/{second.token}/accept/")
    second.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_declining_an_offer_passes_the_seat_to_the_next(world, client_for):
    event = make_event(world.agency, capacity=1, promotion=Promotion.OFFER)
    holder = registration_create(event=event, name="H", email="h@example.org")
    first = registration_create(event=event, name="W1", email="w1@example.org")
    second = registration_create(event=event, name="W2", email="w2@example.org")
    registration_cancel(registration=holder)
    client_for(None).post(f"/events/registration/{first.token}/decline/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.DECLINED
    assert second.status == RegistrationStatus.OFFERED


def test_raising_capacity_promotes_the_waiting_list(world):
    event = make_event(world.agency, capacity=1)
    registration_create(event=event, name="A", email="a@example.org")
    waiting = registration_create(event=event, name="B", email="b@example.org")
    event_update(actor=world.consultant, agency=world.agency, event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_the_library_manager_approves_or_declines_their_staffs_places(world, client_for):
    event = make_event(world.agency, capacity=1, manager_approval=True)
    pending = registration_create(
        event=event, name="Aisha", email=world.staff.email, library=world.library
    )
    waiting = registration_create(
        event=event, name="Other", email="o@example.org", library=world.other_library
    )
    assert pending.status == RegistrationStatus.PENDING_APPROVAL

    # Another library's manager sees nothing to approve and cannot decide.
    other = client_for(world.other_manager)
    assert "Aisha" not in other.get("/events/approvals/").content.decode()
    assert other.post(f"/events/approvals/{pending.pk}/approve/").status_code == 404

    manager = client_for(world.manager)
    assert "Aisha" in manager.get("/events/approvals/").content.decode()
    manager.post(f"/events/approvals/{pending.pk}/decline/")
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == RegistrationStatus.DECLINED
    assert waiting.status == RegistrationStatus.PENDING_APPROVAL  # the seat passed on

    client_for(world.other_manager).post(f"/events/approvals/{waiting.pk}/approve/")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_library_staff_cannot_open_the_approvals_page(world, client_for):
    assert client_for(world.staff).get("/events/approvals/").status_code == 403


def test_a_manager_registers_two_colleagues_at_once(world, client_for):
    colleague = Person.objects.create(name="Per Kollega", email="per@fredrikstad.example")
    LibraryRole.objects.create(person=colleague, library=world.library, role=LibraryRoleKind.STAFF)
    event = make_event(world.agency, capacity=10)
    client = client_for(world.manager)
    page = client.get(f"/events/{event.pk}/register-colleagues/").content.decode()
    assert "Per Kollega" in page and "Aisha Bibliotekar" in page
    client.post(
        f"/events/{event.pk}/register-colleagues/",
        {"people": [colleague.pk, world.staff_person.pk]},
    )
    registrations = event.registrations.all()
    assert sorted(r.email for r in registrations) == sorted(
        ["per@fredrikstad.example", world.staff.email]
    )
    assert {r.registered_by for r in registrations} == {world.manager}
    assert {r.library for r in registrations} == {world.library}


def test_staff_cannot_use_register_colleagues(world, client_for):
    event = make_event(world.agency)
    assert (
        client_for(world.staff).get(f"/events/{event.pk}/register-colleagues/").status_code == 403
    )


def test_the_online_link_is_only_for_confirmed_participants(world, client_for):
    event = make_event(world.agency, capacity=1, online_url="https://meet.example.org/secret")
    registration_create(event=event, name="Other", email="other@example.org")
    registration_create(event=event, name="Aisha", email=world.staff.email, user=world.staff)
    assert (
        "meet.example.org/secret"
        not in client_for(None).get(event.get_absolute_url()).content.decode()
    )
    waiting_view = client_for(world.staff).get(event.get_absolute_url()).content.decode()
    assert "meet.example.org/secret" not in waiting_view
    assert (
        "meet.example.org/secret"
        not in client_for(None).get(f"/events/{event.pk}/event.ics").content.decode()
    )


def test_drafts_and_other_agencies_events_are_not_shown(world, client_for):
    draft = make_event(world.agency, status=EventStatus.DRAFT, title="Utkast")
    swedish = make_event(world.other_agency, title="Svensk kurs")
    public = client_for(None)
    assert public.get(draft.get_absolute_url()).status_code == 404
    assert public.get(swedish.get_absolute_url()).status_code == 404
    calendar = public.get("/events/").content.decode()
    assert "Utkast" not in calendar and "Svensk kurs" not in calendar
    assert client_for(world.consultant).get(draft.get_absolute_url()).status_code == 200
    swedish_site = client_for(None, host="jonkoping.testserver")
    assert swedish_site.get(swedish.get_absolute_url()).status_code == 200


def test_a_co_organised_event_shares_one_participant_list_on_both_sites(world, client_for):
    event = make_event(world.agency, capacity=2)
    event.co_organisers.add(world.other_agency)
    register(client_for(None), event, "no@example.org", library=world.library)
    register(
        client_for(None, host="jonkoping.testserver"),
        event,
        "se@example.org",
        library=world.swedish_library,
    )
    assert event.registrations.count() == 2
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_the_calendar_filters_and_its_feed_follow_the_same_filters(world, client_for):
    make_event(world.agency, title="Bokprat", kind="course")
    make_event(world.agency, title="Nettverkssamling for ledere", kind="network_meeting")
    client = client_for(None)
    page = client.get("/events/?kind=network_meeting").content.decode()
    assert "Nettverkssamling for ledere" in page and "Bokprat" not in page
    feed = client.get("/events/feed.ics?kind=network_meeting")
    assert feed["Content-Type"].startswith("text/calendar")
    summaries = [str(c["summary"]) for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == ["Nettverkssamling for ledere"]


def test_bad_filter_values_do_not_break_the_calendar(world, client_for):
    client = client_for(None)
    for query in ["kind=nonsense", "month=2026-13", "topic=abc", "page=-1", "county=zz"]:
        assert client.get(f"/events/?{query}").status_code == 200
        assert client.get(f"/events/feed.ics?{query}").status_code == 200
    assert client.get("/events/month/2026/13/").status_code == 404


def test_the_month_view_shows_each_session_day(world, client_for):
    event = make_event(world.agency, sessions=2, title="Kursrekke")
    client = client_for(None)
    for session in event.sessions.all():
        start = timezone.localtime(session.starts_at)
        page = client.get(f"/events/month/{start.year}/{start.month}/").content.decode()
        assert "Kursrekke" in page


def test_the_description_is_sanitised_markdown(world, client_for):
    event = make_event(
        world.agency,
        description="**Velkommen** <script>alert(1)</script> [lenke](javascript:alert(1))",
    )
    page = client_for(None).get(event.get_absolute_url()).content.decode()
    assert "<strong>Velkommen</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_my_events_lists_a_users_registrations(world, client_for):
    event = make_event(world.agency, title="Mitt kurs")
    registration_create(event=event, name="Aisha", email=world.staff.email)
    page = client_for(world.staff).get("/events/mine/").content.decode()
    assert "Mitt kurs" in page


def test_no_seat_without_waiting_list_raises_event_full(world):
    event = make_event(world.agency, capacity=0, waiting_list=False)
    with pytest.raises(EventFull):
        registration_create(event=event, name="X", email="x@example.org")
    library = Library.objects.create(
        name="Filial", kind=LibraryKind.BRANCH, municipality=world.municipality
    )
    assert library.pk


def test_a_personal_link_with_strange_characters_is_simply_not_found(world, client_for):
    client = client_for(None)
    for token in ["%00abc", "abc%00", "..%2F..", "a" * 70]:
        assert client.get(f"/events/registration/{token}/").status_code == 404


def test_editing_the_times_keeps_the_session_rows(world):
    from datetime import timedelta as td

    from bokbro.events.services.events import SessionData

    event = make_event(world.agency, sessions=2)
    ids = list(event.sessions.values_list("pk", flat=True))
    sessions = [
        SessionData(
            starts_at=s.starts_at + td(hours=1), ends_at=s.ends_at + td(hours=1), session_id=s.pk
        )
        for s in event.sessions.all()
    ]
    event_update(actor=world.consultant, agency=world.agency, event=event, sessions=sessions)
    assert list(event.sessions.values_list("pk", flat=True)) == ids


def test_a_title_with_an_ampersand_is_not_escaped_in_the_mail_subject(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, title="Bok & lek")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="A", email="a@example.org", language="en")
    assert mail.outbox[-1].subject == "You are registered: Bok & lek"


def test_the_cancellation_mail_removes_the_event_from_the_calendar(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.agency)
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(event=event, name="A", email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration)
    assert len(mail.outbox) == 2
    cal = Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    assert str(cal["method"]) == "CANCEL"
    assert {str(v["status"]) for v in cal.walk("VEVENT")} == {"CANCELLED"}
    # The confirmation before it added the event.
    first = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(first["method"]) == "PUBLISH"
    assert {str(v["status"]) for v in first.walk("VEVENT")} == {"CONFIRMED"}
