"""/api/docs: the API's reference, rendered from the OpenAPI description in the site's layout."""

from __future__ import annotations

import re

from django.test import Client


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_operation_of_the_openapi_description_is_on_the_page(world, client_for):
    schema = Client().get("/api/openapi.json").json()
    page = client_for(None).get("/api/docs").content.decode()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert f'id="{operation["operationId"]}"' in page
            assert f"<code>{method.upper()} {path}</code>" in page
    for name in schema["components"]["schemas"]:
        assert f'id="schema-{name}"' in page


def test_the_registration_is_documented_with_its_fields_and_answers(world, client_for):
    page = client_for(None, language="en").get("/api/docs").content.decode()
    start = page.index('id="bokbro_events_api_register"')
    operation = page[start : page.index("</article>", start)]
    text = text_of(operation)

    assert "Request body (JSON, RegistrationIn)" in text
    assert "Parameters Name In Type Required Description event_id path integer yes" in text
    assert "email string (email) yes library_id integer or null no" in text
    # Every answer, in order, each error with the shared shape and what it means.
    answers = re.findall(r"<tr><th scope=\"row\">(\d{3})</th><td>(.*?)</td>", operation, re.S)
    assert [status for status, _type in answers] == ["201", "400", "404", "409", "422", "429"]
    assert all("ErrorOut" in type_ for status, type_ in answers if status != "201")
    assert "A parameter or field is not valid (`invalid`)" in text
    assert "conflicts with what is stored" in text
    assert "Retry-After says when to try again" in text
    # Types link to their definition further down the page.
    assert 'href="#schema-ErrorOut"' in operation


def test_the_page_speaks_the_visitors_language(world, client_for):
    page = client_for(None, language="nb").get("/api/docs").content.decode()
    assert '<html lang="nb"' in page
    assert "API-dokumentasjon" in page and "Parametere" in page
    assert "Alle svar som ikke er vellykkede, har samme form" in page
    assert 'href="#schema-ErrorOut"' in page
