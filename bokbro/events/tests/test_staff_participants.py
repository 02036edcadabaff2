"""A consultant manages an event's participants: status changes, registering on someone's
behalf, exports and e-mail to participants."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core import mail
from django.db.models import F

from bokbro.core.models import AuditEntry
from bokbro.directory.models import Library, LibraryKind
from bokbro.events.models import Event, QuestionKind, Registration, RegistrationStatus
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def register(event: Event, n: int, start: int = 0, **kwargs: Any) -> list[Registration]:
    return [
        registration_create(event=event, name=f"Deltaker {i}", email=f"p{i}@example.org", **kwargs)
        for i in range(start, start + n)
    ]


def statuses(event: Event) -> list[str]:
    return list(event.registrations.order_by("created_at", "pk").values_list("status", flat=True))


def action(client: Any, registration: Registration, name: str, **data: Any) -> Any:
    return client.post(
        f"/staff/events/{registration.event_id}/participants/{registration.pk}/{name}/", data
    )


@pytest.fixture
def kari(world, client_for):
    client = client_for(world.consultant)
    client.cookies["bokbro_language"] = "en"
    return client


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_everyone_with_their_library_status_and_answers(world, kari, event_factory):
    event = event_factory(capacity=1)
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT)
    registration_create(
        event=event,
        name="Aisha Bibliotekar",
        email="aisha@fredrikstad.example",
        library=world.library,
        answers={"Allergier": "Nøtter"},
    )
    registration_create(
        event=event, name="Marte Sjef", email="marte@sarpsborg.example", library=world.other_library
    )
    body = kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "Aisha Bibliotekar" in body and "Marte Sjef" in body
    assert "Fredrikstad bibliotek" in body and "Nøtter" in body
    assert "On the waiting list" in body and "number 1" in body
    # The staff's own form registers someone else, and its button says so.
    assert ">Register this person</button>" in body


def test_filters_by_status_library_and_search(world, kari, event_factory):
    event = event_factory(capacity=1)
    registration_create(event=event, name="Aisha", email="a@x.example", library=world.library)
    registration_create(event=event, name="Marte", email="m@x.example", library=world.other_library)
    url = f"/staff/events/{event.pk}/participants/"

    waiting = kari.get(url, {"status": "waiting"}).content.decode()
    assert "Marte" in waiting and "Aisha" not in waiting
    by_library = kari.get(url, {"library": world.library.pk}).content.decode()
    assert "Aisha" in by_library and "Marte" not in by_library
    found = kari.get(url, {"q": "M@X"}).content.decode()
    assert "Marte" in found and "Aisha" not in found
    assert kari.get(url, {"status": "nonsense", "library": "x"}).status_code == 200


def test_the_participant_list_has_a_constant_number_of_queries(
    world, kari, event_factory, django_assert_max_num_queries
):
    event = event_factory(capacity=10)
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT)
    url = f"/staff/events/{event.pk}/participants/"
    libraries = [world.library, world.other_library]

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            registration_create(
                event=event,
                name=f"P {i}",
                email=f"p{i}@example.org",
                library=libraries[i % 2],
                answers={"Allergier": "Ingen"},
            )

    add(3, 0)
    kari.get(url)  # warm the session and the host cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert kari.get(url).status_code == 200
    add(27, 3)
    with django_assert_max_num_queries(len(few)):
        response = kari.get(url)
    assert response.content.decode().count('class="inline-form"') >= 30


# --- Status changes ----------------------------------------------------------------------------


def test_staff_cancel_frees_a_seat_for_the_next_on_the_waiting_list(
    world, kari, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go out
        first, _second, third, _fourth = register(event, 4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = action(kari, first, "cancel", query="status=active&evil=1")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/events/{event.pk}/participants/?status=active"
    assert statuses(event) == ["cancelled", "confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, third.email]
    entry = AuditEntry.objects.get(action="events.registration.cancelled")
    assert entry.actor == world.consultant and entry.data["by_staff"] is True


def test_staff_can_cancel_after_the_participants_deadline(world, kari, event_factory):
    from django.utils import timezone

    event = event_factory(cancellation_deadline=timezone.now())
    (person,) = register(event, 1)
    action(kari, person, "cancel")
    person.refresh_from_db()
    assert person.status == RegistrationStatus.CANCELLED


def test_moving_someone_from_the_waiting_list_needs_a_free_seat(world, kari, event_factory):
    event = event_factory(capacity=1)
    _first, second, third = register(event, 3)
    response = action(kari, third, "move")
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == RegistrationStatus.WAITING
    page = kari.get(response["Location"]).content.decode()
    assert "There is no free seat" in page

    # A seat the automatic promotion did not hand out (e.g. an extra chair in the room):
    # staff choose who gets it, out of turn.
    Event.objects.filter(pk=event.pk).update(capacity=F("capacity") + 1)
    action(kari, third, "move")
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED
    assert second.status == RegistrationStatus.WAITING


def test_an_extra_seat_for_a_waiting_person_when_the_event_is_full(
    world, kari, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):  # their confirmations go out
        *_seated_and_first_waiting, third = register(event, 3)
    page = kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "Add an extra seat" in page and "Give a seat" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action(kari, third, "extra_seat")
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (2, 2)
    assert statuses(event) == ["confirmed", "waiting", "confirmed"]
    assert [m.to for m in mail.outbox] == [[third.email]]
    entry = AuditEntry.objects.get(action="events.registration.moved_from_waiting_list")
    assert entry.data["raised"] == ["capacity"] and entry.actor == world.consultant


def test_an_extra_place_beyond_the_library_quota(world, kari, event_factory):
    event = event_factory(capacity=10, quota_per_library=1)
    _first, second = register(event, 2, library=world.library)
    assert statuses(event) == ["confirmed", "waiting"]
    page = kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "Add an extra seat" in page
    action(kari, second, "extra_seat")
    assert statuses(event) == ["confirmed", "confirmed"]
    # The quota still holds for the next one from the same library.
    (third,) = register(event, 1, start=5, library=world.library)
    assert third.status == RegistrationStatus.WAITING


def test_approving_and_declining_places_awaiting_the_library_manager(
    world, kari, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=2, manager_approval=True)
    first, second, third = register(event, 3, library=world.library)
    assert statuses(event) == ["pending", "pending", "waiting"]
    action(kari, first, "approve")
    with django_capture_on_commit_callbacks(execute=True):
        action(kari, second, "decline")
    assert statuses(event) == ["confirmed", "declined", "pending"]
    # An action that no longer applies changes nothing.
    response = action(kari, second, "approve")
    assert response.status_code == 302
    assert statuses(event) == ["confirmed", "declined", "pending"]
    assert action(kari, third, "explode").status_code == 404


def test_registering_someone_on_their_behalf(
    world, kari, event_factory, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    # Closed for the public: staff may still register people.
    event = event_factory(capacity=1, registration_closes_at=timezone.now())
    url = f"/staff/events/{event.pk}/participants/register/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = kari.post(
            url, {"name": "Ola Nordmann", "email": "ola@example.org", "library": world.library.pk}
        )
    assert response.status_code == 302
    ola = Registration.objects.get(email="ola@example.org")
    assert (ola.status, ola.library, ola.registered_by) == (
        RegistrationStatus.CONFIRMED,
        world.library,
        world.consultant,
    )
    assert [m.to for m in mail.outbox] == [["ola@example.org"]]

    response = kari.post(url, {"name": "Kari Nordmann", "email": "kari@example.org"})
    assert response.status_code == 302
    assert Registration.objects.get(email="kari@example.org").waiting_position == 1
    assert "is on the waiting list as number 1" in kari.get(response["Location"]).content.decode()

    again = kari.post(url, {"name": "Ola igjen", "email": "OLA@example.org"})
    assert again.status_code == 200
    assert "This e-mail address is already registered for this event." in again.content.decode()
    invalid = kari.post(url, {"name": "", "email": "not-an-address"})
    assert invalid.status_code == 200
    assert 'value="not-an-address"' in invalid.content.decode()
    assert Registration.objects.filter(event=event).count() == 2


def test_registering_on_behalf_offers_only_libraries_of_the_region(world, kari, event_factory):
    event = event_factory()
    body = kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "Sarpsborg bibliotek" in body and "Värnamo bibliotek" not in body
    response = kari.post(
        f"/staff/events/{event.pk}/participants/register/",
        {"name": "Sven", "email": "sven@example.org", "library": world.swedish_library.pk},
    )
    assert response.status_code == 200
    assert not Registration.objects.filter(email="sven@example.org").exists()


# --- Exports -----------------------------------------------------------------------------------


@pytest.fixture
def exported_event(world, event_factory):
    event = event_factory(capacity=2)
    event.questions.create(label="Allergier", kind=QuestionKind.TEXT)
    event.questions.create(label="Overnatting", kind=QuestionKind.YES_NO)
    registration_create(
        event=event,
        name="Aisha Bibliotekar",
        email="aisha@fredrikstad.example",
        library=world.library,
        answers={"Allergier": "Nøtter", "Overnatting": "yes"},
    )
    registration_create(
        event=event,
        name='=HYPERLINK("http://evil.example")',
        email="evil@example.org",
        organisation="Skolen",
        answers={"Allergier": "", "Overnatting": "no"},
    )
    registration_create(
        event=event,
        name="Marte Sjef",
        email="marte@sarpsborg.example",
        library=world.other_library,
        answers={"Allergier": "Gluten", "Overnatting": "no"},
    )
    other = make_event(world.agency, title="Et annet kurs")
    registration_create(event=other, name="Annen Person", email="annen@example.org")
    return event


def test_csv_export_has_one_row_per_registration_and_a_column_per_question(
    world, kari, exported_event
):
    response = kari.get(f"/staff/events/{exported_event.pk}/participants.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *data = rows
    assert header[:8] == [
        "Name",
        "E-mail",
        "Library",
        "Workplace",
        "Municipality",
        "Status",
        "Number on the waiting list",
        "Registered at",
    ]
    assert header[8:] == ["Allergier", "Overnatting"]
    assert [row[0] for row in data] == [
        "Aisha Bibliotekar",
        '\'=HYPERLINK("http://evil.example")',
        "Marte Sjef",
    ]
    aisha, evil, marte = data
    assert aisha[1:6] == [
        "aisha@fredrikstad.example",
        "Fredrikstad bibliotek",
        "",
        "Fredrikstad",
        "Confirmed",
    ]
    assert aisha[8:] == ["Nøtter", "Yes"]
    assert evil[3] == "Skolen"
    assert marte[5:7] == ["On the waiting list", "1"]
    assert marte[8:] == ["Gluten", "No"]
    assert "annen@example.org" not in response.content.decode("utf-8-sig")


def test_xlsx_export_has_the_same_rows_and_answers(world, kari, exported_event):
    from openpyxl import load_workbook

    response = kari.get(f"/staff/events/{exported_event.pk}/participants.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, *data = rows
    assert header[0] == "Name" and header[8:] == ["Allergier", "Overnatting"]
    assert [row[0] for row in data] == [
        "Aisha Bibliotekar",
        '=HYPERLINK("http://evil.example")',
        "Marte Sjef",
    ]
    # The formula-looking name is stored as text, never as a formula.
    assert sheet["A3"].data_type == "s"
    assert data[0][8:] == ["Nøtter", "Yes"]
    assert data[2][5] == "On the waiting list"
    assert all("annen@example.org" not in str(value) for row in rows for value in row)


def test_exports_follow_the_filters(world, kari, exported_event):
    response = kari.get(
        f"/staff/events/{exported_event.pk}/participants.csv", {"status": "waiting"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Marte Sjef"]


# --- E-mail to participants --------------------------------------------------------------------


def test_bulk_email_goes_to_each_participant_with_the_chosen_status_after_commit(
    world, kari, event_factory, django_capture_on_commit_callbacks
):
    event = event_factory(capacity=2)
    confirmed_a, confirmed_b, waiting = register(event, 3)
    url = f"/staff/events/{event.pk}/email/"
    assert kari.get(url).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = kari.post(
            url,
            {
                "statuses": ["confirmed"],
                "subject": "Husk lesestoff & matpakke",
                "message": "Hei!\n\nLes kapittel 1 før første samling.",
            },
        )
        assert mail.outbox == []  # nothing is sent before the commit
    assert callbacks
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([confirmed_a.email, confirmed_b.email])
    message = next(m for m in mail.outbox if m.to == [confirmed_a.email])
    assert message.subject == "Husk lesestoff & matpakke"
    assert "Les kapittel 1 før første samling." in message.body
    assert f"/events/registration/{confirmed_a.token}/" in message.body
    html = message.alternatives[0][0]
    assert "Les kapittel 1" in html
    assert waiting.email not in [m.to[0] for m in mail.outbox]
    entry = AuditEntry.objects.get(action="events.event.emailed")
    assert entry.data["recipients"] == 2


def test_bulk_email_to_no_one_says_so(world, kari, event_factory):
    event = event_factory()
    response = kari.post(
        f"/staff/events/{event.pk}/email/",
        {"statuses": ["waiting"], "subject": "Hei", "message": "Tekst"},
    )
    assert response.status_code == 200
    assert "No participants have the status you chose." in response.content.decode()
    assert not AuditEntry.objects.filter(action="events.event.emailed").exists()


def test_the_library_filter_offers_only_libraries_with_registrations_on_this_event(
    world, kari, event_factory
):
    event = event_factory()
    far = Library.objects.create(
        name="Bergen offentlige bibliotek",
        kind=LibraryKind.MAIN,
        municipality=world.swedish_library.municipality,
    )
    other = make_event(world.agency, title="Annet")
    registration_create(event=other, name="X", email="x@example.org", library=far)
    body = kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    assert "Bergen offentlige bibliotek" not in body
