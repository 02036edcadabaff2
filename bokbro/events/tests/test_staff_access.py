"""Who may open and use the staff pages of events (STYLE.md §4).

Only the organising agencies' staff, on their own site, reach an event's staff pages. The
Swedish agency's consultant (`outsider`) is refused on the Norwegian site, and on their own
site (`outsider_home`) the Norwegian event, its participants and its exports stay out of reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from bokbro.core.models import AuditEntry
from bokbro.events.models import Event, EventStatus, Question, Registration, Session, Topic
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event
from bokbro.events.tests.test_staff_events import form_data

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "public",
    "staff",
    "manager",
    "outsider",
    "outsider_home",
    "consultant",
    "admin",
)
LOGIN = "login"
REFUSED = (403, 404)


@pytest.fixture
def site(world, event_factory):
    # A draft, so that "publish" has something to do.
    event = event_factory(capacity=1, status=EventStatus.DRAFT)
    seated = registration_create(
        event=event,
        name="Aisha Bibliotekar",
        email="aisha.deltaker@fredrikstad.example",
        library=world.library,
        staff_override=True,
    )
    waiting = registration_create(
        event=event,
        name="Vera Venter",
        email="vera.venter@sarpsborg.example",
        staff_override=True,
    )
    return {"world": world, "event": event, "seated": seated, "waiting": waiting}


def client_as(role: str, world: Any, client_for: Any) -> Any:
    if role == "outsider_home":
        return client_for(world.outsider, host="jonkoping.testserver")
    return client_for(world.users()[role])


def object_pages(event: Event) -> list[str]:
    names = ["detail", "edit", "cancel", "participants", "email", "export_csv", "export_xlsx"]
    return [reverse(f"events_staff:{name}", args=[event.pk]) for name in names]


def post_only(event: Event, registration: Registration) -> list[str]:
    urls = [
        reverse(f"events_staff:{name}", args=[event.pk]) for name in ("publish", "copy", "register")
    ]
    urls += [
        reverse("events_staff:participant_action", args=[event.pk, registration.pk, action])
        for action in ("cancel", "move", "extra_seat", "approve", "decline")
    ]
    return urls


def changes(event: Event, registration: Registration) -> list[tuple[str, dict[str, Any]]]:
    """Every change, with data good enough to change something for a permitted user."""
    pk = event.pk
    return [
        (reverse("events_staff:edit", args=[pk]), form_data(title="Overtatt", capacity="5")),
        (reverse("events_staff:publish", args=[pk]), {}),
        (reverse("events_staff:copy", args=[pk]), {"shift_days": "7"}),
        (reverse("events_staff:cancel", args=[pk]), {"reason": "Avlyst"}),
        (
            reverse("events_staff:register", args=[pk]),
            {"name": "Inntrenger", "email": "inn@example.org"},
        ),
        (
            reverse("events_staff:participant_action", args=[pk, registration.pk, "cancel"]),
            {},
        ),
        (
            reverse("events_staff:email", args=[pk]),
            {"statuses": ["confirmed", "waiting"], "subject": "Hei", "message": "Tekst"},
        ),
    ]


def assert_refused(response: Any, role: str, what: str) -> None:
    if role == "anonymous":
        assert response.status_code == 302, what
        assert response["Location"].startswith(reverse("account_login") + "?next="), what
    else:
        assert response.status_code in REFUSED, what


def database_state() -> dict[str, list[Mapping[str, object]]]:
    return {
        "events": list(Event.objects.order_by("pk").values()),
        "sessions": list(Session.objects.order_by("pk").values()),
        "questions": list(Question.objects.order_by("pk").values()),
        "topics": list(Topic.objects.order_by("pk").values()),
        "registrations": list(Registration.objects.order_by("pk").values()),
        "audit": list(AuditEntry.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_staff_pages_of_an_event_answer_each_role(role, site, client_for):
    world, event = site["world"], site["event"]
    client = client_as(role, world, client_for)
    permitted = role in {"consultant", "admin"}
    for url in object_pages(event):
        response = client.get(url)
        what = f"GET {url} as {role}"
        if permitted:
            assert response.status_code == 200, what
        else:
            assert_refused(response, role, what)
            body = response.content.decode()
            assert site["seated"].email not in body, f"{what} shows a participant"
    for url in post_only(event, site["seated"]):
        response = client.get(url)
        what = f"GET {url} as {role}"
        if permitted or role == "outsider_home":
            # Staff of the site: GET is not allowed here, before any object is looked at.
            assert response.status_code == 405, what
        else:
            assert_refused(response, role, what)


@pytest.mark.parametrize("role", ROLES)
def test_the_list_and_the_new_event_form_are_for_agency_staff(role, site, client_for):
    world = site["world"]
    client = client_as(role, world, client_for)
    for url in ("/staff/events/", "/staff/events/new/"):
        response = client.get(url)
        if role in {"consultant", "admin"}:
            assert response.status_code == 200, f"GET {url} as {role}"
        elif role == "outsider_home":
            # Staff on their own site: their own (empty) list, their own form.
            assert response.status_code == 200, f"GET {url} as {role}"
            assert site["event"].title not in response.content.decode()
        else:
            assert_refused(response, role, f"GET {url} as {role}")


@pytest.mark.parametrize("role", [r for r in ROLES if r not in {"consultant", "admin"}])
def test_no_one_else_changes_the_event_or_its_participants(role, site, client_for):
    world = site["world"]
    client = client_as(role, world, client_for)
    for url, data in changes(site["event"], site["seated"]):
        with transaction.atomic():
            before = database_state()
            response = client.post(url, data)
            after = database_state()
            transaction.set_rollback(True)
        assert_refused(response, role, f"POST {url} as {role}")
        assert after == before, f"POST {url} as {role} changed data"


def test_each_change_is_real_for_the_consultant(site, client_for):
    """The data above is good enough to do harm, so "nothing changed" means something."""
    world = site["world"]
    client = client_for(world.consultant)
    for url, data in changes(site["event"], site["seated"]):
        with transaction.atomic():
            before = database_state()
            response = client.post(url, data)
            after = database_state()
            transaction.set_rollback(True)
        assert response.status_code == 302, f"POST {url}: {response.status_code}"
        assert after != before, f"POST {url} as the consultant changed nothing"


def test_the_outsider_at_home_creates_events_for_their_own_agency_only(site, client_for):
    world = site["world"]
    johan = client_for(world.outsider, host="jonkoping.testserver")
    response = johan.post("/staff/events/new/", form_data(title="Läsfrämjande", capacity="20"))
    assert response.status_code == 302
    created = Event.objects.get(title="Läsfrämjande")
    assert created.agency == world.other_agency
    # …and the Norwegian consultant cannot reach it.
    kari = client_for(world.consultant)
    assert kari.get(f"/staff/events/{created.pk}/").status_code in REFUSED
    assert "Läsfrämjande" not in kari.get("/staff/events/?when=all").content.decode()


def test_a_registration_of_another_event_is_not_found_through_this_one(site, client_for, world):
    other = make_event(world.agency, title="Annet kurs")
    stranger = registration_create(event=other, name="Fremmed", email="fremmed@example.org")
    url = reverse("events_staff:participant_action", args=[site["event"].pk, stranger.pk, "cancel"])
    response = client_for(world.consultant).post(url)
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_missing_events_are_not_found(site, client_for, world):
    client = client_for(world.consultant)
    for url in object_pages(Event(pk=999999)):
        assert client.get(url).status_code == 404, url


def test_an_event_of_the_other_agency_is_refused_on_the_norwegian_site(site, client_for, world):
    swedish = make_event(world.other_agency, title="Svenskt kurs")
    registration_create(event=swedish, name="Sven", email="sven.deltagare@example.se")
    client = client_for(world.consultant)
    for url in object_pages(swedish):
        response = client.get(url)
        assert response.status_code in REFUSED, url
        assert "sven.deltagare@example.se" not in response.content.decode()
