"""The events API: the calendar as JSON, and registration with the same rules as the web."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bokbro.events.models import EventStatus, RegistrationStatus
from bokbro.events.services.places import registration_cancel
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def post(client, event_id, payload):
    return client.post(
        f"/api/events/{event_id}/registrations",
        json.dumps(payload) if not isinstance(payload, str) else payload,
        content_type="application/json",
    )


def test_the_calendar_lists_only_this_agencys_published_upcoming_events(world, client_for):
    make_event(world.agency, title="Åpent kurs")
    make_event(world.agency, title="Utkast", status=EventStatus.DRAFT)
    make_event(world.other_agency, title="Svensk kurs")
    items = client_for(None).get("/api/events/").json()["items"]
    assert [item["title"] for item in items] == ["Åpent kurs"]
    assert items[0]["registration_state"] == "open"


def test_registering_through_the_api_follows_the_seat_rules(world, client_for):
    event = make_event(world.agency, capacity=1, quota_per_library=1, confirm_by_email=False)
    client = client_for(None)
    first = post(
        client, event.pk, {"name": "A", "email": "a@example.org", "library_id": world.library.pk}
    )
    assert first.status_code == 201 and first.json()["status"] == "confirmed"
    second = post(
        client, event.pk, {"name": "B", "email": "b@example.org", "organisation": "Skole"}
    )
    assert second.status_code == 201
    assert second.json() == {
        "status": "waiting",
        "sessions": [],
        "waiting_position": 1,
        "url": second.json()["url"],
    }
    again = post(client, event.pk, {"name": "A", "email": "A@example.org", "organisation": "X"})
    assert again.status_code == 409 and again.json()["code"] == "already_registered"
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_the_api_gives_the_place_in_the_queue_now_not_the_arrival_number(world, client_for):
    event = make_event(world.agency, capacity=1)
    client = client_for(None)
    for n in range(4):  # one seat, then three on the waiting list
        post(client, event.pk, {"name": f"P{n}", "email": f"p{n}@example.org", "organisation": "X"})
    # The first two on the list give up their places.
    for registration in event.registrations.filter(status=RegistrationStatus.WAITING)[:2]:
        registration_cancel(registration=registration)

    late = post(client, event.pk, {"name": "Sen", "email": "sen@example.org", "organisation": "X"})

    # Fifth to arrive, fourth on the list ever, but second in line now.
    assert late.json()["waiting_position"] == 2


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        {},
        {"name": "", "email": "a@example.org"},
        {"name": "A", "email": "not-an-address"},
        {"name": "A", "email": "a@example.org", "library_id": "x"},
        {"name": "A", "email": "a@example.org", "library_id": 10**30},
        {"name": "A" * 300, "email": "a@example.org"},
        {"name": "A", "email": "a@example.org", "language": "de"},
    ],
)
def test_malformed_registrations_get_a_4xx_with_a_reason(world, client_for, payload):
    event = make_event(world.agency)
    response = post(client_for(None), event.pk, payload)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert not event.registrations.exists()


def test_a_library_from_another_region_is_refused(world, client_for):
    event = make_event(world.agency)
    response = post(
        client_for(None),
        event.pk,
        {"name": "A", "email": "a@example.org", "library_id": world.swedish_library.pk},
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert "library_id" in [e["field"] for e in response.json()["errors"]]


def test_closed_and_invitation_only_events_refuse_api_registrations(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    closed = make_event(world.agency, registration_closes_at=timezone.now() - timedelta(minutes=1))
    invited = make_event(world.agency, invitation_role="manager")
    client = client_for(world.manager)  # a session cookie does not make the API act as a user
    for event, code in [(closed, "closed"), (invited, "not_eligible")]:
        response = post(client, event.pk, {**PERSON, "email": "a@example.org"})
        assert response.status_code == 400 and response.json()["code"] == code


def test_events_of_other_agencies_and_drafts_are_404(world, client_for):
    draft = make_event(world.agency, status=EventStatus.DRAFT)
    swedish = make_event(world.other_agency)
    client = client_for(None)
    for event in (draft, swedish):
        assert client.get(f"/api/events/{event.pk}").status_code == 404
        assert post(client, event.pk, PERSON).status_code == 404


@settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(value=st.text(max_size=60))
def test_random_query_values_never_cause_a_server_error(world, client_for, value):
    client = client_for(None)
    for name in ("kind", "audience", "format", "q", "limit", "offset"):
        response = client.get("/api/events/", {name: value})
        assert response.status_code < 500


@pytest.mark.parametrize("path", ["/api/events/", "/api/directory/libraries"])
def test_an_offset_beyond_any_list_is_refused_with_a_reason(world, client_for, path):
    # 2**63 once reached SQLite and came back as a server error.
    response = client_for(None).get(path, {"offset": str(2**63)})
    assert response.status_code == 422
    assert "offset" in response.content.decode()
    assert client_for(None).get(path, {"offset": "0"}).status_code == 200


def test_the_api_reads_the_events_rules_before_registering(world, client_for):
    """Required questions, binding terms and an opening time all come from the event's row
    (one plain query on the hot path), on SQLite as on PostgreSQL."""
    from datetime import timedelta

    from django.utils import timezone

    from bokbro.events.models import Question

    asks = make_event(world.agency)
    Question.objects.create(event=asks, position=0, label="Allergier?", kind="text", required=True)
    optional = make_event(world.agency)
    Question.objects.create(event=optional, position=0, label="Ønsker?", kind="text")
    binding = make_event(world.agency, binding_text="Bindende påmelding.")
    later = make_event(world.agency, registration_opens_at=timezone.now() + timedelta(hours=2))
    client = client_for(None)
    person = PERSON
    for event, status, code in [
        (asks, 400, "questions"),
        (binding, 422, "invalid"),
        (later, 400, "closed"),
    ]:
        response = post(client, event.pk, person)
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert post(client, optional.pk, person).status_code == 201
    assert post(client, binding.pk, {**person, "accept_terms": True}).status_code == 201


@pytest.mark.parametrize("event_id", ["0", str(2**63), "9" * 30])
def test_registering_for_an_id_no_event_can_have_is_404(world, client_for, event_id):
    response = post(client_for(None), event_id, PERSON)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_co_organiser_registers_people_on_its_own_site(world, client_for):
    event = make_event(world.agency)
    event.co_organisers.set([world.other_agency])
    other = make_event(world.agency)
    client = client_for(None, host="jonkoping.testserver")
    person = PERSON
    response = post(client, event.pk, person)
    assert response.status_code == 201
    # Held until the person confirms from the mail (the event asks for it, the default).
    assert response.json()["status"] == RegistrationStatus.HELD
    assert post(client, other.pk, person).status_code == 404


# --- One validation for the web form and the API (issue 13) -------------------------------

PERSON = {"name": "Kari Nordmann", "email": "kari@example.org", "organisation": "Skole"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "Kari\x00"}, "name"),
        ({"organisation": "Skole\x00"}, "organisation"),
        ({"email": "a@b.c\x00"}, "email"),
        ({"email": "kari\x01@example.org"}, "email"),
        ({"email": "kari nordmann@example.org"}, "email"),
        ({"email": "kåri@example.org"}, "email"),
        ({"email": "kari@exa\u0301mple..org"}, "email"),
        ({"organisation": ""}, "organisation"),  # no library and no workplace
        ({"organisation": "   "}, "organisation"),
        ({"accept_terms": 0}, "accept_terms"),
        ({"accept_terms": "yes"}, "accept_terms"),
        ({"accept_terms": "true"}, "accept_terms"),
        ({"accept_terms": 1}, "accept_terms"),
        ({"library_id": "1"}, "library_id"),
        ({"name": 5}, "name"),
    ],
)
def test_the_api_refuses_what_the_registration_form_refuses(world, client_for, change, field):
    event = make_event(world.agency)
    response = post(client_for(None), event.pk, {**PERSON, **change})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["message"] and body["errors"][0]["code"]
    assert not event.registrations.exists()


def test_the_web_form_and_the_api_agree_on_the_same_inputs(world, client_for):
    """Each input the form refuses the API refuses, on the same field; what it takes the API
    takes."""
    from bokbro.events.forms.public import RegistrationForm

    event = make_event(world.agency)
    cases = [
        PERSON,
        {**PERSON, "email": "kari@bibliotek.øvre.no"},  # an international domain is an address
        {**PERSON, "email": "kari\x7f@example.org"},
        {**PERSON, "organisation": "", "library_id": world.library.pk},
        {**PERSON, "organisation": ""},
        {**PERSON, "name": "   "},
    ]
    client = client_for(None)
    for i, case in enumerate(cases):
        case = {**case, "email": case["email"].replace("kari", f"kari{i}")}
        form_data = {k: v for k, v in case.items() if k != "library_id"}
        if "library_id" in case:
            form_data["library"] = case["library_id"]
        form = RegistrationForm(form_data, event=event)
        response = post(client, event.pk, case)
        if form.is_valid():
            assert response.status_code == 201, (case, response.content)
        else:
            assert response.status_code == 422, case
            fields = {e["field"] for e in response.json()["errors"]}
            assert fields == {"library_id" if f == "library" else f for f in form.errors}


def test_binding_terms_are_a_field_error_as_on_the_form(world, client_for):
    event = make_event(world.agency, binding_text="Bindende påmelding.")
    client = client_for(None, language="nb")
    response = post(client, event.pk, PERSON)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "accept_terms"
    assert error["message"] == "Du må godta vilkårene for å melde deg på."
    assert post(client, event.pk, {**PERSON, "accept_terms": False}).status_code == 422
    assert post(client, event.pk, {**PERSON, "accept_terms": True}).status_code == 201


def test_the_reasons_are_in_the_visitors_language(world, client_for):
    event = make_event(world.agency)
    response = post(client_for(None, language="nb"), event.pk, {**PERSON, "organisation": ""})
    [error] = response.json()["errors"]
    assert error["message"] == "Velg biblioteket ditt, eller skriv hvor du jobber."
    response = post(client_for(None, language="sv"), event.pk, {"email": "x@example.org"})
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields["name"] == "Detta fält måste fyllas i."


def test_an_unparsable_body_is_a_400_in_the_same_shape(world, client_for):
    event = make_event(world.agency)
    response = post(client_for(None), event.pk, '{"name": "A", ')
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unparsable" and body["detail"] and body["errors"] == []
    assert not event.registrations.exists()
