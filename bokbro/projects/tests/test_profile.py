"""The projects section of the library and municipality profile (directory/profile.py)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from bokbro.directory.profile import Subject, registered, viewer_for
from bokbro.projects.profile import projects_section
from bokbro.projects.services.projects import PartnerFields, partner_add
from bokbro.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db

INTERNAL = "Hemmelig: budsjettet er stramt"


def viewer(user, agency):
    request = RequestFactory().get("/")
    request.user = user
    request.agency = agency
    return viewer_for(request)


@pytest.fixture
def projects(world):
    """A published project with the library as model library; an unpublished one with it as a
    pilot; one with the municipality itself; one the library has no part in."""
    common = {"actor": world.consultant, "agency": world.agency}
    published = make_project(world, title="Leselyst", is_published=True)
    partner_add(
        project=published,
        fields=PartnerFields(library=world.library, role="model_library"),
        **common,
    )
    draft = make_project(world, title="Pilot i det stille")
    partner_add(project=draft, fields=PartnerFields(library=world.library, role="pilot"), **common)
    municipal = make_project(world, title="Kommunens plan")
    partner_add(project=municipal, fields=PartnerFields(municipality=world.municipality), **common)
    other = make_project(world, title="Sarpsborgs prosjekt")
    partner_add(project=other, fields=PartnerFields(library=world.other_library), **common)
    return published, draft, municipal, other


def titles(context):
    return [row.project.title for row in context["partner_rows"]] if context else []


def test_the_section_is_registered():
    assert "projects" in [section.key for section in registered()]


def test_staff_and_the_libraries_manager_see_the_projects_it_takes_part_in(world, projects):
    subject = Subject.for_library(world.library)
    staff = projects_section(viewer(world.consultant, world.agency), subject)
    assert sorted(titles(staff)) == ["Leselyst", "Pilot i det stille"]
    assert {row.get_role_display() for row in staff["partner_rows"]} == {"Model library", "Pilot"}
    manager = projects_section(viewer(world.manager, world.agency), subject)
    assert sorted(titles(manager)) == ["Leselyst", "Pilot i det stille"]


def test_others_see_only_published_projects(world, projects):
    subject = Subject.for_library(world.library)
    assert titles(projects_section(viewer(world.other_manager, world.agency), subject)) == [
        "Leselyst"
    ]


def test_a_municipality_sees_its_own_and_its_libraries_projects(world, projects):
    subject = Subject.for_municipality(world.municipality)
    context = projects_section(viewer(world.consultant, world.agency), subject)
    assert sorted(titles(context)) == ["Kommunens plan", "Leselyst", "Pilot i det stille"]


def test_no_section_without_projects_or_on_another_agencys_site(world, projects):
    subject = Subject.for_library(world.swedish_library)
    assert projects_section(viewer(world.outsider, world.other_agency), subject) is None
    library = Subject.for_library(world.library)
    assert projects_section(viewer(world.outsider, world.other_agency), library) is None


def test_the_profile_page_shows_the_section_without_internal_notes(world, client_for, projects):
    url = f"/directory/libraries/{world.library.pk}/profile/"
    staff_page = client_for(world.consultant, language="en").get(url)
    if staff_page.status_code == 404:
        pytest.skip("the library profile page is not there yet")
    body = staff_page.content.decode()
    assert "Pilot i det stille" in body and "Model library" in body
    assert f"/projects/staff/{projects[0].pk}/" in body
    manager_page = client_for(world.manager, language="en").get(url).content.decode()
    assert "Pilot i det stille" in manager_page and INTERNAL not in manager_page
    assert f"/projects/{projects[0].pk}/" in manager_page
    assert "/projects/staff/" not in manager_page.split("<main")[1]


def test_the_municipality_profile_page_shows_the_section(world, client_for, projects):
    url = f"/directory/municipalities/no/{world.municipality.code}/profile/"
    response = client_for(world.consultant, language="en").get(url)
    if response.status_code == 404:
        pytest.skip("the municipality profile page is not there yet")
    body = response.content.decode()
    assert "Kommunens plan" in body and "Leselyst" in body
    assert "Sarpsborgs prosjekt" not in body and INTERNAL not in body
