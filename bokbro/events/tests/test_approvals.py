"""Places that wait for the library manager's approval, as participants, managers and the
organiser live them: the e-mail each change of a place sends, the managers' hourly digest with
links that work after sign-in, libraries without a manager, a manager's own places, and the
place in the waiting-list queue people are shown."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bokbro.accounts.tests.test_sign_in import code_from
from bokbro.directory.models import Library, LibraryKind, Municipality
from bokbro.events.models import (
    ApproverDigest,
    Promotion,
    Registration,
    RegistrationStatus,
)
from bokbro.events.periodic import run as periodic_run
from bokbro.events.services.approvals import approval_digests_send
from bokbro.events.services.notices import notices_send_pending
from bokbro.events.services.places import (
    offers_expire,
    registration_approve,
    registration_cancel,
    registration_decline,
)
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event
from bokbro.events.tests.test_outbox import in_parallel, needs_postgresql

pytestmark = pytest.mark.django_db

WAITING_FOR_MANAGER = "Your place is waiting for your library manager's approval."


@pytest.fixture
def client_for(client_for):
    """These tests read the English interface."""

    def make(user, host="testserver"):
        return client_for(user, host=host, language="en")

    return make


@pytest.fixture
def hvaler(world) -> Library:
    """A library of the agency's region with no manager registered."""
    municipality = Municipality.objects.create(
        country="NO", code="3110", name="Hvaler", county=world.county
    )
    return Library.objects.create(
        name="Hvaler bibliotek", kind=LibraryKind.MAIN, municipality=municipality
    )


@pytest.fixture
def english(world):
    """The approvers read their e-mail in English."""
    for user in (world.manager, world.consultant, world.other_manager):
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """`mails(action)`: run `action` (tasks run on commit) and return the e-mails it sent."""

    def run(action: Any) -> list[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return list(mail.outbox)

    return run


def register(event: Any, name: str, library: Any = None, **extra: Any) -> Registration:
    email = f"{name.lower()}@example.org"
    return registration_create(
        event=event, name=name, email=email, library=library, language="en", **extra
    )


def one_mail(sent: list[Any], to: str) -> Any:
    assert [m.to for m in sent] == [[to]], [(m.to, m.subject) for m in sent]
    return sent[0]


def status(registration: Registration) -> str:
    registration.refresh_from_db()
    return registration.status


# --- Every change of a place sends the e-mail that matches it ------------------------------


def test_every_change_of_a_place_awaiting_approval_sends_the_mail_that_matches_it(world, mails):
    event = make_event(world.agency, capacity=1, manager_approval=True, title="Bokprat")
    anna: Any = None
    bo: Any = None
    cato: Any = None

    def register_anna():
        nonlocal anna
        anna = register(event, "Anna", world.library)

    message = one_mail(mails(register_anna), "anna@example.org")
    assert status(anna) == RegistrationStatus.PENDING_APPROVAL
    assert message.subject == "Awaiting approval: Bokprat"
    assert WAITING_FOR_MANAGER in message.body and "confirmed" not in message.body

    def register_bo_and_cato():
        nonlocal bo, cato
        bo = register(event, "Bo", world.library)
        cato = register(event, "Cato", world.library)

    sent = mails(register_bo_and_cato)
    assert [m.subject for m in sent] == ["On the waiting list: Bokprat"] * 2
    assert "number 1 in line" in sent[0].body and "number 2 in line" in sent[1].body

    # The manager says no: Anna hears so; Bo gets the seat, which still needs approval.
    sent = mails(lambda: registration_decline(registration=anna, actor=world.manager))
    declined, promoted = sent
    assert declined.to == ["anna@example.org"]
    assert declined.subject == "Your place was not approved: Bokprat"
    assert "was not approved" in declined.body
    assert promoted.to == ["bo@example.org"]
    assert status(bo) == RegistrationStatus.PENDING_APPROVAL
    assert promoted.subject == "You got a seat, awaiting approval: Bokprat"
    assert WAITING_FOR_MANAGER in promoted.body
    assert "confirmed" not in promoted.body

    message = one_mail(
        mails(lambda: registration_approve(registration=bo, actor=world.manager)),
        "bo@example.org",
    )
    assert status(bo) == RegistrationStatus.CONFIRMED
    assert message.subject == "Your place is approved: Bokprat"
    assert "is approved. It is confirmed." in message.body

    # Bo cancels; Cato, who moved up to number 1, gets the seat awaiting approval.
    cancelled, cato_promoted = mails(lambda: registration_cancel(registration=bo))
    assert cancelled.to == ["bo@example.org"]
    assert cancelled.subject == "Your registration is cancelled: Bokprat"
    assert cato_promoted.to == ["cato@example.org"]
    assert WAITING_FOR_MANAGER in cato_promoted.body
    assert status(cato) == RegistrationStatus.PENDING_APPROVAL


def test_offers_on_an_event_with_approval_say_what_each_answer_did(world, mails, client_for):
    event = make_event(
        world.agency,
        capacity=1,
        manager_approval=True,
        promotion=Promotion.OFFER,
        offer_hours=24,
        title="Kurs",
    )
    holder = register(event, "Holder", world.library)
    first = register(event, "First", world.library)
    second = register(event, "Second", world.library)
    third = register(event, "Third", world.library)
    mails(notices_send_pending)  # their registration e-mails

    offered = one_mail(mails(lambda: registration_cancel(registration=holder))[1:], first.email)
    assert offered.subject == "A seat is free for you: Kurs"

    # The participant's own no is not a manager's no.
    client = client_for(None)
    sent = mails(lambda: client.post(f"/events/registration/{first.token}/decline/"))
    declined = next(m for m in sent if m.to == [first.email])
    assert declined.subject == "You declined the seat: Kurs"
    assert "You declined the seat" in declined.body and "not approved" not in declined.body
    assert status(second) == RegistrationStatus.OFFERED

    sent = mails(lambda: offers_expire(now=timezone.now() + timedelta(hours=25)))
    expired = next(m for m in sent if m.to == [second.email])
    assert expired.subject == "The seat offer has expired: Kurs"
    assert "was not accepted in time" in expired.body

    # Accepting an offered seat on an event with approval: the seat waits for the manager.
    message = one_mail(
        mails(lambda: client.post(f"/events/registration/{third.token}/accept/")), third.email
    )
    assert status(third) == RegistrationStatus.PENDING_APPROVAL
    assert message.subject == "Awaiting approval: Kurs"
    assert WAITING_FOR_MANAGER in message.body


def test_without_approval_the_mails_say_confirmed(world, mails):
    event = make_event(world.agency, capacity=1, title="Fritt")
    first: Any = None

    def register_two():
        nonlocal first
        first = register(event, "First", world.library)
        register(event, "Second", world.library)

    confirmed, waiting = mails(register_two)
    assert confirmed.subject == "You are registered: Fritt"
    assert "is confirmed" in confirmed.body
    assert "number 1 in line" in waiting.body
    _cancelled, promoted = mails(lambda: registration_cancel(registration=first))
    assert promoted.subject == "You got a seat: Fritt"
    assert "Your place is confirmed." in promoted.body


def test_staff_giving_a_seat_on_an_event_with_approval_leaves_it_to_the_manager(
    world, client_for, mails
):
    event = make_event(world.agency, capacity=1, manager_approval=True, title="Kurs")
    register(event, "Holder", world.library)
    waiting = register(event, "Waiting", world.library)
    mails(notices_send_pending)
    kari = client_for(world.consultant)
    url = f"/staff/events/{event.pk}/participants/{waiting.pk}/extra_seat/"
    message = one_mail(mails(lambda: kari.post(url)), waiting.email)
    assert status(waiting) == RegistrationStatus.PENDING_APPROVAL
    assert WAITING_FOR_MANAGER in message.body


# --- The managers are told -------------------------------------------------------------------


def test_a_burst_of_registrations_gives_the_manager_one_digest_an_hour(world, english, mails):
    event = make_event(world.agency, capacity=50, manager_approval=True, title="Bokprat")
    for i in range(20):
        register(event, f"Person{i:02d}", world.library)
    now = timezone.now()

    sent = mails(lambda: approval_digests_send(now=now))
    digest = one_mail(sent, world.manager.email)
    assert digest.subject == "20 places wait for your approval"
    assert all(f"Person{i:02d} (Fredrikstad bibliotek)" in digest.body for i in range(20))
    assert "Bokprat" in digest.body
    assert len(re.findall(r"/events/approvals/\d+/approve/", digest.body)) == 20
    assert len(re.findall(r"/events/approvals/\d+/decline/", digest.body)) == 20
    # Another library's manager has nothing waiting and hears nothing.
    assert world.other_manager.email not in [m.to[0] for m in sent]

    # Run again (the periodic work runs every five minutes): nothing new, nothing sent.
    assert mails(lambda: approval_digests_send(now=now)) == []
    assert mails(lambda: approval_digests_send(now=now + timedelta(minutes=5))) == []

    # A new registration within the hour waits for the next digest.
    register(event, "Late", world.library)
    assert mails(lambda: approval_digests_send(now=now + timedelta(minutes=30))) == []
    digest = one_mail(
        mails(lambda: approval_digests_send(now=now + timedelta(minutes=61))),
        world.manager.email,
    )
    assert digest.subject == "1 place waits for your approval"
    assert "Late (Fredrikstad bibliotek)" in digest.body and "Person00" not in digest.body
    assert "20 places you were told of before still wait." in digest.body
    assert ApproverDigest.objects.get(email=world.manager.email).last_sent_at == now + timedelta(
        minutes=61
    )


def test_the_periodic_run_sends_the_digest_once(world, english, mails):
    event = make_event(world.agency, manager_approval=True)
    mails(lambda: register(event, "Anna", world.library))
    assert one_mail(mails(periodic_run), world.manager.email)
    assert mails(periodic_run) == []


@pytest.fixture
def committed_world(transactional_db):
    """The world committed, for threads with their own connections."""
    from bokbro.conftest import make_world

    return make_world()


@pytest.mark.postgres
@needs_postgresql
def test_runs_at_the_same_time_send_one_digest(committed_world):
    world = committed_world
    event = make_event(world.agency, capacity=50, manager_approval=True)
    for i in range(30):
        register(event, f"Person{i:02d}", world.library)
    mail.outbox.clear()
    now = timezone.now()
    results = in_parallel(lambda _i: approval_digests_send(now=now), workers=6)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 1
    assert [m.to for m in mail.outbox] == [[world.manager.email]]
    assert mail.outbox[0].subject == "30 plasser venter på godkjenningen din"  # in bokmål


def test_the_digests_link_opens_a_page_with_the_button_after_sign_in(
    world, english, mails, django_capture_on_commit_callbacks
):
    event = make_event(world.agency, manager_approval=True, title="Bokprat")
    anna = register(event, "Anna", world.library)
    mails(notices_send_pending)
    digest = one_mail(mails(lambda: approval_digests_send()), world.manager.email)
    link = re.search(r"(http\S+/events/approvals/\d+/approve/)", digest.body).group(1)
    path = urlsplit(link).path
    assert path == f"/events/approvals/{anna.pk}/approve/"

    # Not signed in: the sign-in page, which comes back to the link.
    client = Client()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    page = client.get(response["Location"]).content.decode()
    code_page = re.search(r'href="(/accounts/login/code/\?next=[^"]+)"', page).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(code_page, {"email": world.manager.email, "next": path})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": code_from(mail.outbox[-1])})
    assert response.status_code == 302 and response["Location"] == path

    # The link only opens the page; the button decides.
    page = client.get(path).content.decode()
    assert "Approve the place of Anna?" in page
    assert status(anna) == RegistrationStatus.PENDING_APPROVAL
    sent = mails(lambda: client.post(path))
    assert status(anna) == RegistrationStatus.CONFIRMED
    assert one_mail(sent, anna.email).subject == "Your place is approved: Bokprat"

    # Opened again later, the page says it is decided already and changes nothing.
    page = client.get(f"/events/approvals/{anna.pk}/decline/").content.decode()
    assert (
        "Nothing to decide" in page and '<form method="post" action="/events/approvals/' not in page
    )
    client.post(f"/events/approvals/{anna.pk}/decline/")
    assert status(anna) == RegistrationStatus.CONFIRMED


def test_only_the_libraries_manager_or_the_organiser_opens_the_decision_page(world, client_for):
    event = make_event(world.agency, manager_approval=True)
    anna = register(event, "Anna", world.library)
    url = f"/events/approvals/{anna.pk}/approve/"
    assert client_for(world.other_manager).get(url).status_code == 404
    assert client_for(world.staff).get(url).status_code == 404
    assert client_for(world.outsider, host="jonkoping.testserver").get(url).status_code == 404
    assert client_for(world.manager).get(url).status_code == 200
    assert client_for(world.consultant).get(url).status_code == 200
    assert client_for(world.manager).get(f"/events/approvals/{anna.pk}/explode/").status_code == 404


def test_the_approvals_page_reads_the_same_queries_for_two_places_or_ten(world, hvaler, client_for):
    event = make_event(world.agency, manager_approval=True)
    kari = client_for(world.consultant)
    kari.get("/events/approvals/")  # the site's agency is cached from now on
    counts = []
    for pairs, total in ((1, 1), (4, 5)):  # two places, then ten
        for i in range(pairs):
            register(event, f"Fredrikstad{total}{i}", world.library)
            register(event, f"Hvaler{total}{i}", hvaler)
        with CaptureQueriesContext(connection) as queries:
            response = kari.get("/events/approvals/")
        assert response.content.decode().count("Hvaler bibliotek:") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- A library without a manager -------------------------------------------------------------


def test_a_library_without_a_manager_goes_to_the_organiser_with_a_flag(
    world, hvaler, english, client_for, mails
):
    event = make_event(world.agency, actor=world.consultant, manager_approval=True, title="Bokprat")
    message = one_mail(mails(lambda: register(event, "Hanne", hvaler)), "hanne@example.org")
    hanne = Registration.objects.get(email="hanne@example.org")
    assert hanne.status == RegistrationStatus.PENDING_APPROVAL
    assert "waiting for the approval of Bibliotekutvikling Østfold, the organiser" in message.body
    assert "no manager is registered for Hvaler bibliotek" in message.body
    assert "library manager" not in message.body
    free = register(event, "Fri", None, organisation="Skolen")

    kari = client_for(world.consultant)
    flag = "No manager registered for Hvaler bibliotek"
    assert flag in kari.get(f"/staff/events/{event.pk}/participants/").content.decode()
    approvals = kari.get("/events/approvals/").content.decode()
    assert flag in approvals and "No library given" in approvals and "Hanne" in approvals

    # The digest goes to the organiser: the consultant who created the event.
    digest = one_mail(mails(lambda: approval_digests_send()), world.consultant.email)
    assert digest.subject == "2 places wait for your approval"
    assert flag in digest.body and "No library given" in digest.body
    assert "Hanne (Hvaler bibliotek)" in digest.body and "Fri (Skolen)" in digest.body

    # And the agency decides.
    sent = mails(lambda: kari.post(f"/events/approvals/{hanne.pk}/approve/"))
    assert status(hanne) == RegistrationStatus.CONFIRMED
    assert one_mail(sent, hanne.email).subject == "Your place is approved: Bokprat"
    kari.post(f"/events/approvals/{free.pk}/decline/")
    assert status(free) == RegistrationStatus.DECLINED


def test_without_a_creator_on_the_team_the_digest_goes_to_the_organisers_address(
    world, hvaler, mails
):
    event = make_event(world.agency, actor=None, manager_approval=True)
    register(event, "Hanne", hvaler)
    assert one_mail(mails(lambda: approval_digests_send()), "post@ostfold.example")


def test_the_organisers_team_registering_someone_without_a_manager_is_not_asked_again(
    world, hvaler, client_for, mails
):
    event = make_event(world.agency, manager_approval=True, title="Bokprat")
    kari = client_for(world.consultant)
    data = {"name": "Hanne", "email": "hanne@example.org", "library": hvaler.pk}
    sent = mails(lambda: kari.post(f"/staff/events/{event.pk}/participants/register/", data))
    hanne = Registration.objects.get(email="hanne@example.org")
    assert hanne.status == RegistrationStatus.CONFIRMED
    # One e-mail, in the agency's language: "your place is confirmed".
    assert len(sent) == 1 and "er bekreftet" in sent[0].body
    # Someone at a library with a manager still waits for that manager.
    data = {"name": "Per", "email": "per@example.org", "library": world.library.pk}
    kari.post(f"/staff/events/{event.pk}/participants/register/", data)
    assert Registration.objects.get(email="per@example.org").status == "pending"


# --- A manager's own places ------------------------------------------------------------------


def test_a_manager_registering_himself_is_confirmed_at_once(world, client_for, mails):
    event = make_event(world.agency, manager_approval=True, title="Bokprat")
    client = client_for(world.manager)
    data = {"name": "Ola Sjef", "email": world.manager.email, "library": world.library.pk}
    sent = mails(lambda: client.post(f"/events/{event.pk}/register/", data))
    ola = Registration.objects.get(email=world.manager.email)
    assert ola.status == RegistrationStatus.CONFIRMED
    message = one_mail(sent, world.manager.email)
    assert message.subject == "You are registered: Bokprat"
    assert mails(lambda: approval_digests_send()) == []
    assert "Ola Sjef" not in client.get("/events/approvals/").content.decode()


def test_colleagues_a_manager_registers_are_confirmed_at_once(world, client_for, mails):
    event = make_event(world.agency, manager_approval=True)
    client = client_for(world.manager)
    url = f"/events/{event.pk}/register-colleagues/"
    sent = mails(lambda: client.post(url, {"people": [str(world.staff_person.pk)]}))
    aisha = Registration.objects.get(email=world.staff.email)
    assert aisha.status == RegistrationStatus.CONFIRMED and aisha.registered_by == world.manager
    assert len(sent) == 1
    assert mails(lambda: approval_digests_send()) == []


def test_a_manager_promoted_from_the_waiting_list_needs_no_approval(world, mails):
    event = make_event(world.agency, capacity=1, manager_approval=True)
    holder = register(event, "Holder", world.other_library)
    ola = registration_create(
        event=event,
        name="Ola Sjef",
        email=world.manager.email,
        library=world.library,
        user=world.manager,
        language="en",
    )
    assert ola.status == RegistrationStatus.WAITING
    mails(notices_send_pending)
    _cancelled, promoted = mails(lambda: registration_cancel(registration=holder))
    assert status(ola) == RegistrationStatus.CONFIRMED
    assert "Your place is confirmed." in promoted.body


# --- The place in the queue ------------------------------------------------------------------


def test_people_see_their_place_in_the_queue_now_not_their_arrival_number(world, client_for, mails):
    event = make_event(world.agency, capacity=1)
    holder = register(event, "Holder", world.library)
    first = register(event, "First", world.library)
    second = register(event, "Second", world.library)
    third = register(event, "Third", world.library)
    assert [first.waiting_position, second.waiting_position, third.waiting_position] == [1, 2, 3]
    mails(notices_send_pending)

    registration_cancel(registration=holder)  # First gets the seat
    registration_cancel(registration=second)  # Second leaves the queue
    third.refresh_from_db()
    assert third.waiting_position == 3  # the arrival order the rules use is kept

    page = client_for(None).get(third.get_absolute_url()).content.decode()
    assert "number 1 in line" in page
    staff_page = client_for(world.consultant).get(f"/staff/events/{event.pk}/participants/")
    assert "number 1" in staff_page.content.decode()
    assert "number 3" not in staff_page.content.decode()

    # A newcomer is number 2 in line, though the fourth to join the list.
    message = one_mail(
        mails(lambda: register(event, "Fourth", world.library)), "fourth@example.org"
    )
    assert "number 2 in line" in message.body
    assert Registration.objects.get(email="fourth@example.org").waiting_position == 4
