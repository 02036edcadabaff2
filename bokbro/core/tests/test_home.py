"""The agency's front page: the welcome text in the visitor's language, the next courses and
meetings, the latest newsletter, and for a signed-in library person their places and library.
The sections come from the modules' `home_section` declarations (core/home.py)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from bokbro.directory.models import Agency
from bokbro.events.models import EventKind
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event
from bokbro.newsletter.models import MailingList
from bokbro.newsletter.tests.helpers import sent_issue


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_visitor_sees_the_next_courses_and_meetings_and_the_latest_newsletter(world, client_for):
    make_event(world.agency, title="Bokprat for barn")
    make_event(
        world.agency, title="Nettverkssamling for skolebibliotek", kind=EventKind.NETWORK_MEETING
    )
    make_event(world.other_agency, title="Ett annat läns kurs")
    newsletter = MailingList.objects.create(agency=world.agency, name="Nyhetsbrev", is_public=True)
    sent_issue(newsletter, "Desembernummeret", is_archived=True)

    page = text(client_for(None).get("/"))

    assert "Neste kurs og møter" in page
    assert "Bokprat for barn" in page and "Nettverkssamling for skolebibliotek" in page
    assert "Nettverkssamling" in page.replace("Nettverkssamling for", "")  # the kind is shown
    assert "Ett annat läns kurs" not in page
    assert "Siste nummer: Desembernummeret" in page
    assert "Abonner på nyhetsbrevet" in page
    assert "Mine påmeldinger" not in page  # nothing personal for an anonymous visitor


def test_a_signed_in_library_person_sees_their_places_and_their_library(world, client_for):
    event = make_event(world.agency, title="Bokprat for barn")
    registration_create(
        event=event, name="Aisha", email=world.staff.email, library=world.library, user=world.staff
    )

    page = text(client_for(world.staff).get("/"))

    mine = page[page.index("Mine påmeldinger") :]
    assert "Bokprat for barn" in mine and "Bekreftet" in mine
    assert "Mitt bibliotek" in page and world.library.name in page


def test_the_welcome_text_is_shown_in_the_visitors_language(world, client_for):
    world.agency.welcome = {"nb": "Velkommen til **oss**!", "en": "Welcome to *us*!"}
    world.agency.save()

    assert "Velkommen til <strong>oss</strong>!" in client_for(None).get("/").content.decode()
    english = client_for(None, language="en").get("/").content.decode()
    assert "Welcome to <em>us</em>!" in english
    # A language without its own text falls back to the agency's language.
    assert "Velkommen til" in client_for(None, language="sv").get("/").content.decode()


def test_the_administrator_writes_the_welcome_text_per_language(world, client_for):
    client = client_for(world.admin)
    form = client.get(reverse("agency:agency_edit")).context["form"]
    data = {name: value for name, value in form.initial.items() if value}  # no empty logo file
    data.update(
        {
            "welcome_nb": "Hei og **velkommen**",
            "welcome_nn": "",
            "welcome_sv": "",
            "welcome_en": "Hi",
        }
    )

    response = client.post(reverse("agency:agency_edit"), data)

    assert response.status_code == 302
    assert Agency.objects.get(pk=world.agency.pk).welcome == {
        "nb": "Hei og **velkommen**",
        "en": "Hi",
    }
    page = client_for(None).get("/").content.decode()
    assert "Hei og <strong>velkommen</strong>" in page
