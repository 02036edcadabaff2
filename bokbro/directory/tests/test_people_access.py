"""Who sees the people of a library, and who edits directory records (scenario 8).

People's names and e-mail addresses are personal data: the agency team of the region and the
library's own manager see them; nobody else, and never on a public page, error page or the API.
"""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.directory.models import Library, LibraryRole, LibraryRoleKind
from bokbro.directory.tests.factories import (
    LibraryRoleFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

OUTSIDER_HOST = "jonkoping.testserver"


def library_form_data(library: Library, **changes: Any) -> dict[str, Any]:
    data = {
        "name": library.name,
        "kind": library.kind,
        "municipality": library.municipality_id,
        "sigel": library.sigel,
        "street_address": library.street_address,
        "postcode": library.postcode,
        "city": library.city,
        "email": library.email,
        "phone": library.phone,
        "website": library.website,
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_outsider_on_their_own_site_cannot_edit_a_norwegian_library(world, client_for):
    client = client_for(world.outsider, host=OUTSIDER_HOST)
    url = f"/directory/libraries/{world.library.pk}/edit/"

    assert client.get(url).status_code == 403
    response = client.post(url, library_form_data(world.library, name="Tatt over"))

    assert response.status_code == 403
    world.library.refresh_from_db()
    assert world.library.name == "Fredrikstad bibliotek"
    page = client.get(f"/directory/libraries/{world.library.pk}/").content.decode()
    assert f"/directory/libraries/{world.library.pk}/edit/" not in page


def test_outsider_on_their_own_site_edits_a_library_of_their_own_region(world, client_for):
    client = client_for(world.outsider, host=OUTSIDER_HOST)
    library = world.swedish_library

    response = client.post(
        f"/directory/libraries/{library.pk}/edit/",
        library_form_data(library, city="Värnamo"),
    )

    assert response.status_code == 302
    library.refresh_from_db()
    assert library.city == "Värnamo"


def test_outsider_on_their_own_site_does_not_see_norwegian_people(world, client_for):
    swedish = LibraryRoleFactory.create(
        library=world.swedish_library, person__email="sven@varnamo.example"
    ).person
    client = client_for(world.outsider, host=OUTSIDER_HOST)

    library_page = client.get(f"/directory/libraries/{world.library.pk}/").content.decode()
    people_page = client.get("/directory/people/").content.decode()

    for page in (library_page, people_page):
        assert "ola@fredrikstad.example" not in page
        assert "aisha@fredrikstad.example" not in page
        assert "Ola Sjef" not in page
    assert swedish.email in people_page
    assert client.get(f"/directory/people/{world.manager_person.pk}/").status_code == 403
    assert client.get(f"/directory/people/{world.manager_person.pk}/edit/").status_code == 403
    assert client.get("/directory/people/?q=fredrikstad").content.decode().count("mailto:") == 0


def test_outsider_on_their_own_site_cannot_edit_a_norwegian_organisation(world, client_for):
    school = OrganisationFactory.create(name="Glemmen skole", municipality=world.municipality)
    client = client_for(world.outsider, host=OUTSIDER_HOST)
    url = f"/directory/organisations/{school.pk}/edit/"

    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Tatt over", "kind": "school", "municipality": ""})

    assert response.status_code == 403
    school.refresh_from_db()
    assert school.name == "Glemmen skole"
    assert url not in client.get(f"/directory/organisations/{school.pk}/").content.decode()


def test_an_organisation_without_a_place_is_shared_by_all_agencies(world, client_for):
    national = OrganisationFactory.create(
        name="Nasjonalbiblioteket", kind="national", municipality=None
    )
    client = client_for(world.outsider, host=OUTSIDER_HOST)

    response = client.post(
        f"/directory/organisations/{national.pk}/edit/",
        {"name": "Nasjonalbiblioteket", "kind": "national", "website": "https://www.nb.no"},
    )

    assert response.status_code == 302
    national.refresh_from_db()
    assert national.website == "https://www.nb.no"


def test_outsider_cannot_remove_a_norwegian_role_of_a_person_they_share(world, client_for):
    """Someone who works in both regions is visible to both agencies; each agency changes only
    the roles at its own libraries."""
    commuter = PersonFactory.create(name="Pendler", email="pendler@example.org")
    norwegian_role = LibraryRoleFactory.create(person=commuter, library=world.library)
    swedish_role = LibraryRoleFactory.create(person=commuter, library=world.swedish_library)
    client = client_for(world.outsider, host=OUTSIDER_HOST)

    refused = client.post(f"/directory/people/{commuter.pk}/roles/{norwegian_role.pk}/remove/")
    allowed = client.post(f"/directory/people/{commuter.pk}/roles/{swedish_role.pk}/remove/")

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert list(LibraryRole.objects.filter(person=commuter)) == [norwegian_role]


def test_outsider_cannot_delete_a_person_who_also_works_in_norway(world, client_for):
    commuter = PersonFactory.create(name="Pendler", email="pendler@example.org")
    LibraryRoleFactory.create(person=commuter, library=world.library)
    LibraryRoleFactory.create(person=commuter, library=world.swedish_library)
    swedish_only = LibraryRoleFactory.create(library=world.swedish_library).person
    client = client_for(world.outsider, host=OUTSIDER_HOST)

    refused = client.post(f"/directory/people/{commuter.pk}/delete/")
    allowed = client.post(f"/directory/people/{swedish_only.pk}/delete/")

    assert refused.status_code == 403
    assert LibraryRole.objects.filter(person=commuter).count() == 2
    assert allowed.status_code == 302
    assert not LibraryRole.objects.filter(person_id=swedish_only.pk).exists()


def test_outsider_cannot_give_a_role_at_a_norwegian_library(world, client_for):
    swedish = LibraryRoleFactory.create(library=world.swedish_library).person
    client = client_for(world.outsider, host=OUTSIDER_HOST)

    response = client.post(
        f"/directory/people/{swedish.pk}/roles/",
        {"library": world.library.pk, "role": LibraryRoleKind.MANAGER},
    )

    assert response.status_code == 400
    assert not LibraryRole.objects.filter(person=swedish, library=world.library).exists()


def test_library_manager_sees_the_people_of_their_own_library(world, client_for):
    client = client_for(world.manager)

    page = client.get(f"/directory/libraries/{world.library.pk}/").content.decode()

    assert "Aisha Bibliotekar" in page
    assert "aisha@fredrikstad.example" in page
    assert client.get(f"/directory/people/{world.staff_person.pk}/").status_code == 200


def test_library_manager_does_not_see_the_people_of_another_library(world, client_for):
    client = client_for(world.manager)
    other_person = world.other_manager.person

    page = client.get(f"/directory/libraries/{world.other_library.pk}/").content.decode()

    assert "Marte Sjef" not in page
    assert "marte@sarpsborg.example" not in page
    assert client.get(f"/directory/people/{other_person.pk}/").status_code == 403
    assert client.get("/directory/people/").status_code == 403


def test_library_manager_cannot_edit_the_people_they_see(world, client_for):
    client = client_for(world.manager)
    url = f"/directory/people/{world.staff_person.pk}/edit/"

    response = client.post(url, {"name": "Endret", "email": "aisha@fredrikstad.example"})

    assert response.status_code == 403
    world.staff_person.refresh_from_db()
    assert world.staff_person.name == "Aisha Bibliotekar"


def test_library_staff_see_no_people(world, client_for):
    client = client_for(world.staff)

    page = client.get(f"/directory/libraries/{world.library.pk}/").content.decode()

    assert "ola@fredrikstad.example" not in page
    assert "Ola Sjef" not in page
    assert client.get(f"/directory/people/{world.manager_person.pk}/").status_code == 403
    assert client.get("/directory/people/").status_code == 403


def test_library_staff_see_their_own_directory_entry(world, client_for):
    response = client_for(world.staff).get(f"/directory/people/{world.staff_person.pk}/")

    assert response.status_code == 200
    assert "aisha@fredrikstad.example" in response.content.decode()


def test_consultant_sees_the_people_of_the_region_and_not_of_another(world, client_for):
    swedish = LibraryRoleFactory.create(
        library=world.swedish_library, person__email="sven@varnamo.example"
    ).person
    page = client_for(world.consultant).get("/directory/people/").content.decode()

    assert "ola@fredrikstad.example" in page
    assert "marte@sarpsborg.example" in page
    assert swedish.email not in page


PUBLIC_PAGES = [
    "/",
    "/team/",
    "/contact/",
    "/privacy/",
    "/accessibility/",
    "/directory/",
    "/directory/?q=Fredrikstad",
    "/directory/no/31/",
    "/directory/municipalities/no/3107/",
    "/directory/libraries/",
    "/directory/libraries/?q=bibliotek",
    "/directory/organisations/",
    "/api/directory/libraries",
    "/api/directory/libraries?q=Fredrikstad",
    "/api/directory/municipalities",
    "/api/directory/counties",
    "/api/openapi.json",
    "/directory/libraries/999999/",
    "/no/such/page/",
]


@pytest.mark.parametrize("host", ["testserver", OUTSIDER_HOST])
def test_personal_data_never_appears_on_public_pages_error_pages_or_the_api(
    world, client_for, host
):
    school = OrganisationFactory.create(name="Glemmen skole", municipality=world.municipality)
    PersonFactory.create(name="Lærer Larsen", email="larsen@glemmen.example", organisation=school)
    client = client_for(None, host=host)
    pages = [
        *PUBLIC_PAGES,
        f"/directory/libraries/{world.library.pk}/",
        f"/directory/libraries/{world.other_library.pk}/",
        f"/directory/organisations/{school.pk}/",
        f"/api/directory/libraries/{world.library.pk}",
        f"/directory/people/{world.manager_person.pk}/",
    ]
    people = [
        "ola@fredrikstad.example",
        "aisha@fredrikstad.example",
        "marte@sarpsborg.example",
        "larsen@glemmen.example",
        "Ola Sjef",
        "Aisha Bibliotekar",
        "Lærer Larsen",
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode()
        assert not [p for p in people if p in body], url


def test_public_user_sees_no_people_on_library_and_organisation_pages(world, client_for):
    school = OrganisationFactory.create(name="Glemmen skole", municipality=world.municipality)
    PersonFactory.create(name="Lærer Larsen", email="larsen@glemmen.example", organisation=school)
    client = client_for(world.public)

    pages = [
        client.get(f"/directory/libraries/{world.library.pk}/").content.decode(),
        client.get(f"/directory/organisations/{school.pk}/").content.decode(),
    ]

    for page in pages:
        assert "ola@fredrikstad.example" not in page
        assert "Lærer Larsen" not in page


def test_consultant_sees_the_people_of_an_organisation_in_the_region(world, client_for):
    school = OrganisationFactory.create(name="Glemmen skole", municipality=world.municipality)
    PersonFactory.create(name="Lærer Larsen", email="larsen@glemmen.example", organisation=school)

    page = client_for(world.consultant).get(f"/directory/organisations/{school.pk}/")

    assert "Lærer Larsen" in page.content.decode()
