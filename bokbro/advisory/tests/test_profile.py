"""The library and municipality profiles: the sections modules add, and who sees what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from bokbro.advisory import services
from bokbro.advisory.tests.conftest import make_consultation
from bokbro.directory import profile
from bokbro.events.services.places import registration_cancel
from bokbro.events.services.registrations import registration_create
from bokbro.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

SECRET = "Internt: vurderer å legge ned filialen"


@pytest.fixture
def history(world):
    consultation = make_consultation(
        world, summary="Råd om meråpent bibliotek", internal_notes=SECRET
    )
    services.follow_up_create(
        actor=world.consultant,
        agency=world.agency,
        consultation=consultation,
        what="Sende avtalemal",
        due_date=date.today() - timedelta(days=1),
        owner=world.consultant,
    )
    make_consultation(
        world,
        libraries=[world.other_library],
        summary="Sarpsborgs egen sak",
        internal_notes="Sarpsborg internt",
    )
    make_consultation(
        world,
        libraries=[],
        municipalities=[world.municipality],
        summary="Kommunens bibliotekplan",
    )
    return consultation


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_manager_sees_the_summaries_never_internal_notes_or_follow_ups(
    world, client_for, history
):
    body = page(
        client_for(world.manager, language="en"),
        f"/directory/libraries/{world.library.pk}/profile/",
    )
    assert "Råd om meråpent bibliotek" in body
    assert SECRET not in body
    assert "Sende avtalemal" not in body
    assert "Sarpsborgs egen sak" not in body
    # A consultation with the municipality alone is not about the manager's library.
    assert "Kommunens bibliotekplan" not in body
    assert f"/advisory/{history.pk}/" not in body


def test_staff_see_internal_notes_and_open_follow_ups_on_the_profile(world, client_for, history):
    body = page(
        client_for(world.consultant, language="en"),
        f"/directory/libraries/{world.library.pk}/profile/",
    )
    assert SECRET in body
    assert "Sende avtalemal" in body and "Overdue" in body
    assert f"/advisory/new/?library={world.library.pk}" in body


def test_a_manager_of_another_library_is_refused(world, client_for, history):
    response = client_for(world.other_manager).get(
        f"/directory/libraries/{world.library.pk}/profile/"
    )
    assert response.status_code == 403


def test_the_municipality_profile_gathers_the_municipality_and_its_libraries(
    world, client_for, history
):
    url = f"/directory/municipalities/no/{world.municipality.code}/profile/"
    body = page(client_for(world.admin, language="en"), url)
    assert "Råd om meråpent bibliotek" in body and "Kommunens bibliotekplan" in body
    assert "Sarpsborgs egen sak" not in body
    assert client_for(world.manager).get(url).status_code == 403


def test_the_profile_links_show_only_to_those_who_may_open_them(world, client_for):
    detail = f"/directory/libraries/{world.library.pk}/"
    link = f"/directory/libraries/{world.library.pk}/profile/"
    assert link in page(client_for(world.manager), detail)
    assert link in page(client_for(world.consultant), detail)
    assert link in page(client_for(world.staff), detail)  # their own library, without notes
    assert link not in page(client_for(world.other_manager), detail)
    assert link not in page(client_for(None), detail)
    municipality = f"/directory/municipalities/no/{world.municipality.code}/"
    assert f"{municipality}profile/" in page(client_for(world.consultant), municipality)
    assert f"{municipality}profile/" not in page(client_for(world.manager), municipality)


def test_the_events_section_counts_places_per_year_and_lists_them(world, client_for):
    course = make_event(world.agency, title="Bokprat for barn")
    registration_create(
        event=course, name="Aisha Bibliotekar", email="a@fredrikstad.example", library=world.library
    )
    cancelled = registration_create(
        event=course, name="Avbrutt Person", email="b@fredrikstad.example", library=world.library
    )
    registration_cancel(registration=cancelled)
    registration_create(
        event=course, name="Marte Sjef", email="m@sarpsborg.example", library=world.other_library
    )
    swedish = make_event(world.other_agency, title="Svensk kurs")
    registration_create(
        event=swedish, name="Gjest Fra Norge", email="g@example.org", library=world.library
    )

    body = page(
        client_for(world.manager, language="en"),
        f"/directory/libraries/{world.library.pk}/profile/",
    )
    assert "Bokprat for barn" in body and "Aisha Bibliotekar" in body
    assert "Avbrutt Person" not in body  # a cancelled place is not participation
    assert "Marte Sjef" not in body  # another library's
    assert "Svensk kurs" not in body  # another agency's event
    viewer_context = profile.sections_for(
        profile.Viewer(
            request=RequestFactory().get("/"), agency=world.agency, roles=_staff_roles()
        ),
        profile.Subject.for_library(world.library),
    )
    events = next(s for s in viewer_context if s["section"].key == "events")
    assert events["per_year"] == [
        {"year": course.starts_at.year, "registrations": 1, "confirmed": 1, "events": 1}
    ]


def _staff_roles():
    from bokbro.directory.access import Roles

    return Roles(agency_role="consultant")


def test_a_module_adds_a_section_through_the_extension_point(world, client_for, monkeypatch):
    from django.apps import apps

    import bokbro.newsletter.apps

    calls = []

    def context(viewer, subject):
        calls.append((viewer.internal, subject.library))
        return {"hello": "world"} if subject.library is not None else None

    section = profile.ProfileSection(
        key="test", title="Test", template="advisory/_nav.html", context=context, order=999
    )
    # A module without a section (the newsletter) declares one in its contract.
    monkeypatch.setattr(bokbro.newsletter.apps, "TEST_SECTION", section, raising=False)
    monkeypatch.setattr(apps.get_app_config("newsletter"), "profile_section", "apps.TEST_SECTION")
    page(client_for(world.manager), f"/directory/libraries/{world.library.pk}/profile/")
    monkeypatch.undo()
    assert calls == [(False, world.library)]
    keys = [s.key for s in profile.registered()]
    assert keys[:2] == ["advisory", "events"]


def test_the_profile_makes_the_same_number_of_queries_for_few_and_many(
    world, client_for, django_assert_max_num_queries
):
    kari = client_for(world.consultant)
    url = f"/directory/libraries/{world.library.pk}/profile/"
    kari.get(url)  # warm the session and the host cache
    course = make_event(world.agency, title="Bokprat for barn")
    for i in range(15):
        consultation = make_consultation(world, summary=f"Sak {i}")
        services.follow_up_create(
            actor=world.consultant,
            agency=world.agency,
            consultation=consultation,
            what=f"Oppgave {i}",
            due_date=date.today(),
            owner=world.consultant,
        )
        registration_create(
            event=course, name=f"Deltaker {i}", email=f"d{i}@example.org", library=world.library
        )
    # One or two queries per module's section (advisory, events, classsets, networks, shadowing, …).
    with django_assert_max_num_queries(22):
        body = page(kari, url)
    assert "Sak 14" in body and "Oppgave 14" in body and "Deltaker 14" in body
