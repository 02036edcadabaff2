"""Search boxes and addresses answer odd input with a page or a 404, never a server error.

PostgreSQL refuses text holding a NUL byte, so these fail there if a view passes raw input on.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/directory/?q=a%00b",
        "/directory/?q=" + "x" * 5000,
        "/directory/libraries/?q=a%00b&county=abc&kind=%00&page=x",
        "/directory/organisations/?q=a%00b&kind=nonsense&page=-1",
        "/directory/people/?q=a%00b&role=%00&page=99999999999999999999",
        "/staff/audit/?action=a%00b&page=%00",
    ],
)
def test_search_with_odd_input_shows_the_page(world, client_for, url):
    response = client_for(world.admin).get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/directory/no/3%001/",
        "/directory/no/abc/",
        "/directory/dk/31/",
        "/directory/municipalities/no/31%0007/",
        "/directory/municipalities/se/99999/",
        "/directory/libraries/99999999999999999999/",
        "/directory/people/99999999999999999999/",
    ],
)
def test_malformed_addresses_are_not_found(world, client_for, url):
    response = client_for(world.admin).get(url)

    assert response.status_code == 404


def test_directory_search_finds_municipalities_and_libraries(world, client_for):
    body = client_for(None).get("/directory/?q=Sarpsborg").content.decode()

    assert "/directory/municipalities/no/3105/" in body
    assert f"/directory/libraries/{world.other_library.pk}/" in body
    assert f"/directory/libraries/{world.library.pk}/" not in body


def test_a_municipality_page_lists_its_main_library_first(world, client_for):
    from bokbro.directory.models import Library, LibraryKind

    Library.objects.create(
        name="Aaa filial", kind=LibraryKind.BRANCH, municipality=world.municipality
    )
    page = client_for(None).get(world.municipality.get_absolute_url()).content.decode()
    assert page.index("Fredrikstad bibliotek") < page.index("Aaa filial")
