"""The calendar list is cached, and never shows a user something out of date: the cache key
includes a fingerprint of the events read from the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bokbro.events.services import event_update, registration_create
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
    event_update(
        actor=world.consultant, agency=world.agency, event=event, data={"title": "Bokprat for barn"}
    )
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
