"""Every error of the API has one shape ({code, detail, errors}), every router gets it, and the
OpenAPI description lists every status an operation answers (bokbro/core/apierrors.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from bokbro.core.apierrors import FormInvalid

pytestmark = pytest.mark.django_db

SHAPE = {"code", "detail", "errors"}


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/directory/counties?country=%00", "country"),
        ("/api/directory/libraries?q=Halden%00", "q"),
        ("/api/directory/libraries?county=0%001", "county"),
        ("/api/events/?q=%00", "q"),
        ("/api/projects/?status=running%00", "status"),
        ("/api/directory/libraries?limit=0", "limit"),
        ("/api/events/?offset=-1", "offset"),
        ("/api/events/?kind=nonsense", "kind"),
    ],
)
def test_a_bad_parameter_of_any_router_is_a_422_naming_it(world, client_for, path, field):
    response = client_for(None).get(path)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "invalid"
    assert [error["field"] for error in body["errors"]] == [field]
    assert "\x00" not in response.content.decode()


def test_a_nul_byte_anywhere_in_a_json_body_is_refused_on_its_field(world, client_for):
    from bokbro.events.tests.conftest import make_event

    event = make_event(world.agency)
    response = client_for(None).post(
        f"/api/events/{event.pk}/registrations",
        '{"name": "Kari", "email": "kari@example.org", "organisation": "Skole\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["organisation"]
    assert not event.registrations.exists()


def test_not_found_is_the_same_shape_in_ninja_and_in_django(world, client_for):
    client = client_for(None, language="nb")
    for path in ("/api/events/999999", "/api/directory/libraries/999999", "/api/events/1/nothing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json()["code"] == "not_found" and set(response.json()) == SHAPE
        assert response.json()["detail"] == "Det finnes ingenting på denne adressen."


def test_the_reasons_follow_the_visitors_language(world, client_for):
    english = client_for(None, language="en").get("/api/directory/libraries?limit=0").json()
    swedish = client_for(None, language="sv").get("/api/directory/libraries?limit=0").json()
    assert english["errors"][0]["message"] == ("Ensure this value is greater than or equal to 1.")
    assert (
        swedish["errors"][0]["message"]
        == "Kontrollera att detta värde är större än eller lika med 1."
    )
    assert swedish["detail"] != english["detail"]


def test_a_form_error_keeps_each_fields_messages():
    from django import forms

    class Form(forms.Form):
        name = forms.CharField()
        email = forms.EmailField()

    form = Form({"name": "", "email": "x"})
    assert not form.is_valid()
    error = FormInvalid(form, fields={"email": "address"})
    assert error.status == 422
    assert {(e["field"], e["code"]) for e in error.payload["errors"]} == {
        ("name", "required"),
        ("address", "invalid"),
    }


def test_the_description_lists_every_status_with_the_shared_shape(world):
    schema = Client().get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == SHAPE
    register = schema["paths"]["/api/events/{event_id}/registrations"]["post"]
    assert set(register["responses"]) == {"201", "400", "404", "409", "422", "429"}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "422" in responses, (method, path)  # every operation takes parameters
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert "400" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith("4"):
                # The shared shape, or one that adds to it (class sets' 409 adds the free copies).
                ref = response["content"]["application/json"]["schema"]["$ref"]
                name = ref.removeprefix("#/components/schemas/")
                fields = set(schema["components"]["schemas"][name]["properties"])
                assert fields >= SHAPE, (method, path, status, name)


@pytest.mark.parametrize(
    "path", ["/api/events/%00", "/api/events/1%00/registrations", "/api/nothing%00"]
)
def test_a_nul_byte_in_an_api_address_is_not_found(world, client_for, path):
    for method in ("get", "post"):
        response = getattr(client_for(None), method)(path)
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "not_found"


def test_a_nul_byte_in_a_page_address_is_the_404_page(world, client_for):
    # No address holds one; it is refused before any view looks a token up.
    response = client_for(None, language="en").get("/newsletter/unsubscribe/abc%00def/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
