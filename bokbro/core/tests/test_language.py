"""The page language: the switcher's cookie, else the user's saved language, else the agency's."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

COOKIE = "bokbro_language"


def page_language(response) -> str:
    body = response.content.decode()
    start = body.index('<html lang="') + len('<html lang="')
    return body[start : body.index('"', start)]


@pytest.mark.parametrize(
    ("host", "language"), [("testserver", "nb"), ("jonkoping.testserver", "sv")]
)
def test_agency_language_is_used_when_the_visitor_has_not_chosen(world, client_for, host, language):
    response = client_for(None, host=host).get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert page_language(response) == language
    assert response["Content-Language"] == language


def test_switcher_cookie_wins_over_the_agency_language(world, client_for):
    client = client_for(None, host="jonkoping.testserver")
    client.cookies[COOKIE] = "nn"

    assert page_language(client.get("/")) == "nn"


def test_saved_language_of_a_signed_in_user_is_used(world, client_for):
    world.consultant.language = "en"
    world.consultant.save()

    assert page_language(client_for(world.consultant).get("/")) == "en"


def test_switcher_cookie_wins_over_the_saved_language(world, client_for):
    world.consultant.language = "en"
    world.consultant.save()
    client = client_for(world.consultant)
    client.cookies[COOKIE] = "sv"

    assert page_language(client.get("/")) == "sv"


def test_unknown_cookie_value_is_ignored(world, client_for):
    client = client_for(None)
    client.cookies[COOKIE] = "de"

    assert page_language(client.get("/")) == "nb"


def test_switcher_sets_the_cookie_and_returns_to_the_page(world, client_for):
    client = client_for(None)

    response = client.post("/language/", {"language": "en", "next": "/directory/?q=Halden"})

    assert response.status_code == 302
    assert response["Location"] == "/directory/?q=Halden"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert page_language(client.get("/directory/")) == "en"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_switcher_sends_unsafe_next_addresses_home(world, client_for, next_url):
    response = client_for(None).post("/language/", {"language": "sv", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switcher_ignores_a_language_we_do_not_have(world, client_for):
    response = client_for(None).post("/language/", {"language": "de", "next": "/"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies


def test_switcher_saves_the_choice_of_a_signed_in_user(world, client_for):
    client_for(world.manager).post("/language/", {"language": "nn", "next": "/"})

    world.manager.refresh_from_db()
    assert world.manager.language == "nn"


def test_saving_a_language_on_my_page_replaces_the_switcher_choice(world, client_for):
    client = client_for(world.manager)
    client.cookies[COOKIE] = "sv"

    response = client.post("/me/", {"name": "Ola Sjef", "language": "en"})

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == ""  # deleted
    assert page_language(client.get("/")) == "en"


def test_switcher_does_not_answer_get(world, client_for):
    assert client_for(None).get("/language/?language=en").status_code == 405
