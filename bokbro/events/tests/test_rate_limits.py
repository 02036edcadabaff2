"""Nobody fills an event alone: registrations (the web form and the API) are limited per client
address, and per client address and event (settings REGISTRATION_RATE_PER_CLIENT and
REGISTRATION_RATE_PER_CLIENT_AND_EVENT), counted in the database so the limits hold across
every web process; over the limit is a 429 with the reason and when to try again."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client, override_settings
from django.utils import timezone

from bokbro.core import ratelimits
from bokbro.events.models import Registration
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


def api_register(client, event, i):
    return client.post(
        f"/api/events/{event.pk}/registrations",
        json.dumps({"name": f"P{i}", "email": f"p{i}@example.org", "organisation": "Skole"}),
        content_type="application/json",
    )


def web_register(client, event, i):
    return client.post(
        f"/events/{event.pk}/register/",
        {"name": f"W{i}", "email": f"w{i}@example.org", "organisation": "Skole"},
    )


@override_settings(REGISTRATION_RATE_PER_CLIENT="3/600", REGISTRATION_RATE_PER_CLIENT_AND_EVENT="")
def test_a_client_over_its_limit_gets_a_429_and_others_go_on(world):
    event = make_event(world.agency, capacity=100)
    greedy = Client(REMOTE_ADDR="203.0.113.7")
    answers = [api_register(greedy, event, i) for i in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[-1]
    assert refused.json()["code"] == "too_many_requests" and refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 600
    # The web form counts against the same limit: the address has used it up.
    page = web_register(
        Client(REMOTE_ADDR="203.0.113.7", HTTP_COOKIE="bokbro_language=nb"), event, 9
    )
    assert page.status_code == 429
    assert "For mange påmeldinger" in page.content.decode()
    assert 'value="w9@example.org"' in page.content.decode()  # nothing typed is lost
    assert event.registrations.count() == 3
    # Someone else is not held back.
    assert api_register(Client(REMOTE_ADDR="198.51.100.2"), event, 5).status_code == 201


@override_settings(
    REGISTRATION_RATE_PER_CLIENT="100/600", REGISTRATION_RATE_PER_CLIENT_AND_EVENT="2/3600"
)
def test_one_address_cannot_take_an_events_seats(world):
    event = make_event(world.agency, capacity=30)
    other = make_event(world.agency, title="Et annet kurs")
    client = Client(REMOTE_ADDR="203.0.113.8")
    assert [web_register(client, event, i).status_code for i in range(3)] == [302, 302, 429]
    assert api_register(client, event, 3).status_code == 429
    assert api_register(client, other, 4).status_code == 201
    assert event.registrations.count() == 2


@override_settings(
    REGISTRATION_RATE_PER_CLIENT="100/600",
    REGISTRATION_RATE_PER_CLIENT_AND_EVENT="",
    MAIL_RATE_PER_ADDRESS="2/3600",
)
def test_the_forms_cannot_flood_one_mailbox(world, mailoutbox, django_capture_on_commit_callbacks):
    """The same victim's address typed from many clients, on every public form that mails it:
    the mails stop at the limit, and the refusal says why without losing what was typed."""
    victim = "Offer@Example.org"
    events = [make_event(world.agency, title=f"Kurs {i}") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for i, event in enumerate(events[:2]):
            answer = Client(REMOTE_ADDR=f"203.0.113.{i}").post(
                f"/events/{event.pk}/register/",
                {"name": "Offer", "email": victim.lower(), "organisation": "Skole"},
            )
            assert answer.status_code == 302
        page = Client(REMOTE_ADDR="203.0.113.50", HTTP_COOKIE="bokbro_language=nb").post(
            f"/events/{events[2].pk}/register/",
            {"name": "Offer", "email": victim, "organisation": "Skole"},
        )
        api = Client(REMOTE_ADDR="203.0.113.51").post(
            f"/api/events/{events[3].pk}/registrations",
            json.dumps({"name": "Offer", "email": victim.upper(), "organisation": "Skole"}),
            content_type="application/json",
        )
    assert page.status_code == 429 and 0 < int(page["Retry-After"]) <= 3600
    text = page.content.decode()
    assert "Denne adressen har fått for mange e-poster" in text
    assert f'value="{victim}"' in text
    assert api.status_code == 429 and api.json()["code"] == "too_many_mails"
    assert Registration.objects.filter(event__in=events[2:]).count() == 0
    assert len([m for m in mailoutbox if victim.lower() in m.to]) == 2
    # Another address is not held back.
    other = Client(REMOTE_ADDR="203.0.113.50").post(
        f"/events/{events[2].pk}/register/",
        {"name": "Ny", "email": "ny@example.org", "organisation": "Skole"},
    )
    assert other.status_code == 302


def test_the_limit_is_counted_per_period(world):
    rate = ratelimits.Rate.parse("2/60")
    start = timezone.now().replace(second=0, microsecond=0)
    assert ratelimits.hit("test:a", rate, now=start) is None
    assert ratelimits.hit("test:a", rate, now=start + timedelta(seconds=10)) is None
    wait = ratelimits.hit("test:a", rate, now=start + timedelta(seconds=20))
    assert wait == 40
    assert ratelimits.hit("test:a", rate, now=start + timedelta(seconds=61)) is None


@pytest.mark.parametrize("text", ["", "0", "off"])
def test_a_limit_can_be_turned_off(text):
    assert ratelimits.Rate.parse(text) is None


@pytest.mark.parametrize("text", ["x", "5/0", "-1/60", "5/", "5/60/2"])
def test_a_malformed_limit_is_refused_at_start(text):
    with pytest.raises(ValueError, match="REGISTRATION"):
        ratelimits.Rate.parse(text, setting="REGISTRATION_RATE_PER_CLIENT")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for real parallel connections (CI runs it with DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
@override_settings(REGISTRATION_RATE_PER_CLIENT="5/600", REGISTRATION_RATE_PER_CLIENT_AND_EVENT="")
def test_the_limit_holds_under_parallel_requests_from_one_address():
    """20 clients from one address at the same moment, each on its own connection (as several
    web processes would be): exactly 5 get a place."""
    from bokbro.conftest import make_world

    world = make_world()
    event = make_event(world.agency, capacity=100)
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR="203.0.113.9")
            barrier.wait()
            status = api_register(client, event, i).status_code
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [201] * 5 + [429] * 15
    assert Registration.objects.filter(event=event).count() == 5


def test_the_periodic_work_prunes_counts_of_ended_periods(world):
    from bokbro.core.models import RateCount
    from bokbro.events.periodic import run

    start = timezone.now().replace(second=0, microsecond=0)
    ratelimits.hit("test:old", ratelimits.Rate.parse("5/60"), now=start - timedelta(hours=2))
    ratelimits.hit("test:now", ratelimits.Rate.parse("5/3600"), now=start)
    assert run(now=start)["rate counts pruned"] == 1
    assert [row.name for row in RateCount.objects.all()] == ["test:now/3600"]
