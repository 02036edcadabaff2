"""Headers and cookies every response carries: a strict Content-Security-Policy, no tracking."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from bokbro.accounts.tests.test_sign_in import code_from

pytestmark = pytest.mark.django_db

ALLOWED_COOKIES = {"csrftoken", "sessionid", "bokbro_language"}
HTML_PAGES = [
    "/",
    "/team/",
    "/privacy/",
    "/directory/",
    "/directory/libraries/",
    "/accounts/login/",
    "/accounts/login/code/",
    "/accounts/signup/",
    "/no/such/page/",
    "/staff/audit/",  # anonymous: a redirect, followed to the sign-in page
]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("url", HTML_PAGES)
def test_html_pages_carry_a_strict_content_security_policy(world, client_for, url):
    response = client_for(None).get(url, follow=True)

    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", HTML_PAGES)
def test_pages_have_no_inline_scripts_the_policy_would_block(world, client_for, url):
    body = client_for(world.admin).get(url, follow=True).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts, "the layout loads its scripts"
    assert all("src=" in tag for tag in scripts), scripts
    assert not re.search(r"\son[a-z]+=", body), "inline event handler"


def test_api_documentation_loads_its_scripts_from_our_own_site(world, client_for):
    response = client_for(None).get("/api/docs")

    assert response.status_code == 200
    body = response.content.decode()
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", body)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body)
    assert all('type="application/json"' in attrs for attrs in inline), inline


def test_security_headers(world, client_for):
    response = client_for(None).get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_cookie_but_csrf_session_and_language_is_ever_set(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A whole visit: browse, switch language, sign in by code, edit a library (a message is
    shown), sign out. Every Set-Cookie of every response is one of the three we declare."""
    client = Client()
    seen: set[str] = set()

    def visit(method: str, url: str, data: dict[str, Any] | None = None) -> Any:
        response = getattr(client, method)(url, data or {})
        seen.update(response.cookies.keys())
        return response

    for url in ("/", "/directory/", "/directory/libraries/", "/team/", "/accounts/login/"):
        visit("get", url)
    visit("post", "/language/", {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        visit("post", "/accounts/login/code/", {"email": "kari@ostfold.example"})
    visit("post", "/accounts/login/code/confirm/", {"code": code_from(mail.outbox[-1])})
    library = world.library
    visit("get", f"/directory/libraries/{library.pk}/edit/")
    response = visit(
        "post",
        f"/directory/libraries/{library.pk}/edit/",
        {
            "name": library.name,
            "kind": "main",
            "municipality": library.municipality_id,
            "city": "Fredrikstad",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    page = visit("get", response["Location"])
    assert 'class="messages"' in page.content.decode()
    visit("post", "/accounts/logout/")
    visit("get", "/")

    assert seen <= ALLOWED_COOKIES, seen - ALLOWED_COOKIES
    assert {"sessionid", "bokbro_language"} <= seen


def test_healthz_answers_ok(db, client_for):
    response = client_for(None).get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies


def test_unknown_host_is_refused_with_our_error_page(world):
    response = Client(HTTP_HOST="evil.example").get("/")

    assert response.status_code == 400
    assert 'class="site-header"' in response.content.decode()
