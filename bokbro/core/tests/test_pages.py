"""Forms that keep what was typed, and error pages in the site's own layout."""

from __future__ import annotations

import html

import pytest
from django.test import RequestFactory

from bokbro.core import views
from bokbro.directory.models import Library, Person
from bokbro.directory.tests.factories import LibraryFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_library_edit_with_an_invalid_website_keeps_the_other_typed_values(world, client_for):
    url = f"/directory/libraries/{world.library.pk}/edit/"

    response = client_for(world.consultant).post(
        url,
        {
            "name": "Fredrikstad hovedbibliotek",
            "kind": "main",
            "municipality": world.municipality.pk,
            "street_address": "Kirkegata 10",
            "postcode": "1606",
            "city": "Fredrikstad",
            "phone": "69 30 60 00",
            "website": "not a web address",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert 'id="id_website_error"' in body
    for typed in (
        "Fredrikstad hovedbibliotek",
        "Kirkegata 10",
        "1606",
        "69 30 60 00",
        "not a web address",
    ):
        assert f'value="{typed}"' in body, typed
    world.library.refresh_from_db()
    assert world.library.name == "Fredrikstad bibliotek"


def test_person_create_with_an_invalid_email_keeps_the_name(world, client_for):
    response = client_for(world.consultant).post(
        "/directory/people/new/",
        {"name": "Per Frivillig", "email": "per(at)example", "phone": "12"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_email_error"' in body
    assert 'value="Per Frivillig"' in body
    assert not Person.objects.filter(name="Per Frivillig").exists()


def test_library_create_refuses_a_municipality_outside_the_region(world, client_for):
    response = client_for(world.outsider, host="jonkoping.testserver").post(
        "/directory/libraries/new/",
        {"name": "Smuglerbiblioteket", "kind": "main", "municipality": world.municipality.pk},
    )

    assert response.status_code == 200
    assert 'id="id_municipality_error"' in response.content.decode()
    assert not Library.objects.filter(name="Smuglerbiblioteket").exists()


def in_our_layout(body: str) -> bool:
    return 'class="site-header"' in body and 'class="site-footer"' in body


def test_not_found_page_is_in_our_layout(world, client_for):
    response = client_for(None).get("/directory/libraries/999999/")

    assert response.status_code == 404
    body = response.content.decode()
    assert in_our_layout(body)
    assert "Bibliotekutvikling Østfold" in body
    assert '<html lang="nb"' in body


def test_not_found_page_is_in_the_visitors_agency_and_language(world, client_for):
    response = client_for(None, host="jonkoping.testserver").get("/no/such/page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "Biblioteksutveckling Jönköping" in body
    assert '<html lang="sv"' in body


def test_forbidden_page_is_in_our_layout(world, client_for):
    response = client_for(world.public).get("/directory/people/")

    assert response.status_code == 403
    assert in_our_layout(response.content.decode())


def test_server_error_page_is_in_our_layout(world):
    request = RequestFactory().get("/")

    response = views.server_error(request)

    assert response.status_code == 500
    assert in_our_layout(response.content.decode())


def test_api_errors_answer_json_not_html(world, client_for):
    response = client_for(None).get("/api/directory/libraries/999999")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_home_page_gives_each_county_its_own_numbers(world, client_for):
    from bokbro.directory.models import County

    akershus = County.objects.create(country="NO", code="32", name="Akershus")
    world.agency.counties.add(akershus)
    asker = MunicipalityFactory.create(county=akershus, name="Asker")
    LibraryFactory.create(municipality=asker)
    LibraryFactory.create(municipality=asker, is_active=False)
    LibraryFactory.create(municipality=None, county=akershus, kind="hospital")
    client = client_for(None)
    client.cookies["bokbro_language"] = "en"

    body = client.get("/").content.decode()

    assert "2 municipalities and 2 libraries in the directory." in body  # Østfold
    assert "1 municipality and 2 libraries in the directory." in body  # Akershus


@pytest.mark.parametrize(
    ("days", "words"), [(1, "until 1 day after"), (180, "until 180 days after")]
)
def test_the_privacy_page_gives_how_long_a_teachers_name_is_kept_in_the_right_form(
    world, client_for, settings, days, words
):
    settings.CLASSSETS_CONTACT_KEEP_DAYS = days
    assert words in client_for(None, language="en").get("/privacy/").content.decode()
