"""The calendar list is cached, and never shows a user something out of date: the cache key
includes a fingerprint of the events read from the database."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bokbro.directory.tenancy import forget_hosts
from bokbro.events.services.events import event_update
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client_for):
    return client_for(None, language="en")


def test_a_full_event_shows_as_full_at_once(world, visitor):
    event = make_event(world.agency, title="Bokprat", capacity=1)
    assert "Full" not in visitor.get("/events/").content.decode()
    registration_create(event=event, name="A", email="a@example.org")
    assert "Full – waiting list" in visitor.get("/events/").content.decode()


def test_a_changed_title_and_a_new_event_show_at_once(world, visitor):
    event = make_event(world.agency, title="Bokprat")
    assert "Bokprat" in visitor.get("/events/").content.decode()
    event_update(actor=world.consultant, agency=world.agency, event=event, title="Bokprat for barn")
    make_event(world.agency, title="Nettverkssamling")
    page = visitor.get("/events/").content.decode()
    assert "Bokprat for barn" in page and "Nettverkssamling" in page


def test_an_event_that_has_ended_leaves_the_list(world, visitor):
    event = make_event(world.agency, title="Snart over")
    assert "Snart over" in visitor.get("/events/").content.decode()
    # The event ends (moved into the past directly in the database, as time would).
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert "Snart over" not in visitor.get("/events/").content.decode()


def test_each_language_filter_and_page_has_its_own_list(world, client_for):
    make_event(world.agency, title="Bokprat", kind="course")
    make_event(world.agency, title="Nettverkssamling", kind="network_meeting")
    english = client_for(None, language="en").get("/events/").content.decode()
    norwegian = client_for(None, language="nb").get("/events/").content.decode()
    assert "Upcoming" in english and "Kommende" in norwegian
    filtered = client_for(None, language="en").get("/events/?kind=course").content.decode()
    assert "Bokprat" in filtered and "Nettverkssamling" not in filtered


def test_the_other_agencys_calendar_is_its_own(world, client_for):
    make_event(world.agency, title="Norsk kurs")
    make_event(world.other_agency, title="Svensk kurs")
    assert "Svensk kurs" not in client_for(None).get("/events/").content.decode()
    swedish = client_for(None, host="jonkoping.testserver").get("/events/").content.decode()
    assert "Svensk kurs" in swedish and "Norsk kurs" not in swedish


def test_a_cached_calendar_page_makes_one_query(world, visitor, django_assert_num_queries):
    for i in range(25):
        make_event(world.agency, title=f"Kurs {i}")
    visitor.get("/events/")
    # The agency is cached; what is left is the version fingerprint (the filter form and the
    # list are built only when the cached fragment is missing).
    with django_assert_num_queries(1):
        response = visitor.get("/events/")
    assert response.status_code == 200
    assert "Kurs 0" in response.content.decode()


# The whole page kept for anonymous visitors without a session (events/page_cache.py).

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_anonymous_visitor_gets_their_own_working_csrf_token(world, client_for):
    make_event(world.agency, title="Bokprat")
    first, second = (Client(enforce_csrf_checks=True) for _ in range(2))
    first_page = first.get("/events/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        second_page = second.get("/events/").content.decode()
    assert len(queries) == 1  # the second page came from memory
    first_token, second_token = TOKEN.search(first_page)[1], TOKEN.search(second_page)[1]
    assert first_token != second_token
    assert TOKEN.sub("", first_page) == TOKEN.sub("", second_page)
    # Each visitor's language switcher works with the token on their page.
    for visitor, token in ((first, first_token), (second, second_token)):
        response = visitor.post(
            "/language/", {"language": "sv", "next": "/events/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert "Kommande" in visitor.get("/events/").content.decode()


def test_a_page_from_memory_has_the_same_headers(world, client_for):
    make_event(world.agency, title="Bokprat")
    fresh = client_for(None, language="nn").get("/events/")
    kept = client_for(None, language="nn").get("/events/")
    for name in ("Content-Type", "Content-Language", "Vary", "Cache-Control", "X-Frame-Options"):
        assert kept[name] == fresh[name], name
    assert kept["Content-Language"] == "nn"
    assert "Cookie" in kept["Vary"]
    assert kept["Cache-Control"] == "private"  # the token makes it this visitor's page
    assert "Content-Security-Policy" in kept
    assert kept.cookies["csrftoken"].value


def test_a_signed_in_user_never_gets_the_anonymous_page(world, client_for):
    make_event(world.agency, title="Bokprat")
    assert "Sign in" in client_for(None, language="en").get("/events/").content.decode()
    staff = client_for(world.consultant, language="en")
    page = staff.get("/events/").content.decode()
    assert "Sign out" in page and "Manage events" in page
    # Nor is the signed-in page kept for the next anonymous visitor.
    anonymous = client_for(None, language="en").get("/events/").content.decode()
    assert "Sign out" not in anonymous and "Manage events" not in anonymous


def test_a_visitor_with_a_message_sees_it_and_no_one_else_does(world, client_for):
    event = make_event(world.agency, title="Bokprat")
    registration = registration_create(event=event, name="Kari", email="kari@example.org")
    kari = client_for(None, language="en")
    kari.post(f"/events/registration/{registration.token}/cancel/")
    client_for(None, language="en").get("/events/")  # the anonymous page is kept
    assert "Your registration is cancelled" in kari.get("/events/").content.decode()
    other = client_for(None, language="en").get("/events/").content.decode()
    assert "Your registration is cancelled" not in other


def test_changed_agency_details_show_on_the_next_page(world, client_for):
    make_event(world.agency, title="Bokprat")
    assert "Storgata 1" not in client_for(None).get("/events/").content.decode()
    world.agency.street_address = "Storgata 1"
    world.agency.save()
    forget_hosts()
    assert "Storgata 1" in client_for(None).get("/events/").content.decode()


def test_a_filtered_page_from_memory_makes_one_query(world, visitor):
    for i in range(25):
        make_event(world.agency, title=f"Kurs {i}", kind="course" if i % 2 else "webinar")
    visitor.get("/events/?kind=course&page=2")
    with CaptureQueriesContext(connection) as queries:
        page = visitor.get("/events/?kind=course&page=2").content.decode()
    assert len(queries) == 1
    assert "Kurs 23" in page and "Kurs 22" not in page


def test_a_seat_moving_from_one_event_to_another_shows_at_once(world, visitor):
    # Seats change without touching `updated_at`, and here their total stays the same: one
    # event stops being full as another fills up.
    kurs = make_event(world.agency, title="Bokprat", capacity=1, waiting_list=False)
    webinar = make_event(world.agency, title="Lesesirkel", capacity=1, waiting_list=False)
    kari = registration_create(event=kurs, name="Kari", email="kari@example.org")
    page = visitor.get("/events/").content.decode()
    assert page.count(">Full<") == 1 and page.index(">Full<") < page.index("Lesesirkel")
    registration_cancel(registration=kari)
    registration_create(event=webinar, name="Ola", email="ola@example.org")
    page = visitor.get("/events/").content.decode()
    assert page.count(">Full<") == 1 and page.index(">Full<") > page.index("Lesesirkel")


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a Redis server: set REDIS_URL (redis://127.0.0.1:6379/<db>) to run it",
)
def test_pages_are_kept_in_redis_where_every_web_process_finds_them(world, settings):
    from django.core.cache.backends.redis import RedisCache

    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,  # the layout's own (core/layout.py)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        },
    }
    make_event(world.agency, title="Bokprat")
    first = Client(enforce_csrf_checks=True).get("/events/").content.decode()
    # Another process: its own connection to the same Redis.
    other = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": prefix})
    client = other._cache.get_client(write=False)
    keys = [key.decode() for key in client.scan_iter(f"{prefix}:*events.page.*")]
    assert len(keys) == 1
    try:
        parts, content_type = other.get(keys[0].split(":", 2)[2])
        assert content_type.startswith("text/html") and len(parts) == 2
        with CaptureQueriesContext(connection) as queries:
            second = Client(enforce_csrf_checks=True).get("/events/").content.decode()
        assert len(queries) == 1  # the fingerprint; the page came from Redis
        assert TOKEN.sub("", first) == TOKEN.sub("", second)
    finally:
        client.delete(*keys)
