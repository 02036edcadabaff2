"""The whole API, fuzzed from its own OpenAPI description (schemathesis), in-process against the
test database with a world of data: every operation, with values that fit its schema and with
values that do not. It fails on any server error, any status the description does not list for
the operation, any answer that is not what the description says (its JSON schema, its content
type), and any request that breaks the schema but is answered as a success.

Bounded and reproducible: EXAMPLES cases per operation and mode, derandomised (the same cases on
every run, so CI is stable); run it with more by setting BOKBRO_FUZZ_EXAMPLES (e.g. 500) when
changing the API. The routers of new modules are fuzzed without changing this file."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.test import override_settings
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from bokbro.api import api  # noqa: E402

EXAMPLES = int(os.environ.get("BOKBRO_FUZZ_EXAMPLES", "25"))
BASE_URL = "http://testserver/api"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def description() -> dict[str, Any]:
    """The OpenAPI description as /api/openapi.json serves it (JSON: its status keys are text)."""
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/"), default=str))


OPERATIONS = [
    (method.upper(), path) for path, methods in description()["paths"].items() for method in methods
]


class DjangoApp:
    """Django as a WSGI application inside the test's transaction: the test client's handler
    (which keeps the test's database connection open), answered through WSGI."""

    def __init__(self) -> None:
        self.handler = ClientHandler(enforce_csrf_checks=True)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        response = self.handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [b"".join(response)]


@pytest.fixture
def published(world):
    """Something for the path parameters to find: events, projects and libraries of the site."""
    from bokbro.events.tests.conftest import make_event
    from bokbro.projects.tests.conftest import make_project

    events = [make_event(world.agency, title=f"Kurs {i}", capacity=3) for i in range(3)]
    events.append(make_event(world.agency, binding_text="Bindende påmelding."))
    projects = [make_project(world, title=f"Prosjekt {i}", is_published=True) for i in range(2)]
    from bokbro.shadowing.tests.factories import make_offer

    offers = [make_offer(world), make_offer(world, title="Lukket", open_to_other_agencies=True)]
    return {
        "event_id": [e.pk for e in events],
        "project_id": [p.pk for p in projects],
        "offer_id": [o.pk for o in offers],
        "library_id": [world.library.pk, world.swedish_library.pk],
    }


@pytest.mark.django_db
# The fuzz run is one client; with the limits of a real site it would soon meet only 429s
# (core/tests and events/tests/test_rate_limits.py attack the limits themselves).
@override_settings(REGISTRATION_RATE_PER_CLIENT="0", REGISTRATION_RATE_PER_CLIENT_AND_EVENT="0")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_answers_as_its_description_says(world, published, method, path, mode):
    schema = schemathesis.openapi.from_dict(description())
    operation = schema[path][method]
    app = DjangoApp()
    known = {name: ids for name, ids in published.items() if f"{{{name}}}" in path}

    @st.composite
    def cases(draw: Any) -> Any:
        case = draw(operation.as_strategy(generation_mode=mode))
        # Half of the cases ask for an object that exists, so the operation's work runs too.
        if known and mode == GenerationMode.POSITIVE and draw(st.booleans()):
            for name, ids in known.items():
                case.path_parameters[name] = draw(st.sampled_from(ids))
        return case

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases())
    def run(case: Any) -> None:
        case.call_and_validate(base_url=BASE_URL, app=app, checks=CHECKS)

    run()
