"""Every page of the project, requested as every role (STYLE.md §4).

The tables are the access policy written down: core's own pages, the API's root and allauth's
pages below, every app's pages in its `bokbro/<app>/tests/access.py`. A view added without a row
fails `test_every_url_of_the_project_is_in_the_table`, so each new page gets its rules (and its
outsider test) when it is written.

Roles: the fixed users of `bokbro/conftest.py` on the Norwegian agency's site (`testserver`),
plus `outsider_home`: the Swedish agency's consultant on their own site (`jonkoping.testserver`)
asking for the Norwegian objects.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bokbro.core.models import AuditEntry
from bokbro.core.tests.access_roles import (
    AWAY,
    LOGIN,
    OPEN,
    OUTSIDER_HOST,
    ROLES,
    SIGN_IN_PAGE,
    SIGNED_IN,
)

pytestmark = pytest.mark.django_db


# Modules add their own rows (docs/adding-a-module.md): `bokbro/<module>/tests/access.py` holds
# GET_EXPECTED, POST_EXPECTED, READ_ONLY, OBJECT_URLS and the functions setup(site) -> objects,
# url_kwargs(name, site, objects), post_data(name, site, objects), database_state() and
# hidden_texts(role, site, objects) (texts that role must never see, such as internal notes).
# A module's setup reaches the objects of an app before it with `site.of("<app>")`.
def find_modules() -> list[ModuleType]:
    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("bokbro."):
            continue
        name = f"{config.name}.tests.access"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name not in {name, f"{config.name}.tests"}:
                raise
    return found


MODULES = find_modules()


def module_of(name: str) -> ModuleType | None:
    return next((module for module in MODULES if name in module.GET_EXPECTED), None)


# One answer per role, in the order of ROLES.
GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "core:home": OPEN,
    "core:contact": OPEN,
    "core:privacy": OPEN,
    "core:accessibility": OPEN,
    "core:healthz": OPEN,
    "core:set_language": (405,) * 8,
    "api:api-root": (404,) * 8,
    "api:openapi-json": OPEN,
    "api:openapi-view": OPEN,
    # allauth's public pages (its other views are allauth's to test).
    "account_login": SIGN_IN_PAGE,
    "account_request_login_code": SIGN_IN_PAGE,
    "account_signup": SIGN_IN_PAGE,
    "account_reset_password": (200,) * 8,
    "mfa_index": SIGNED_IN,
    "account_email": SIGNED_IN,
}
ALLAUTH_PAGES = {
    "account_login",
    "account_request_login_code",
    "account_signup",
    "account_reset_password",
    "mfa_index",
    "account_email",
}

# POST with valid data: a permitted role changes something (302), every other role changes
# nothing. One answer per role, in the order of ROLES. Core's own pages change nothing that
# needs a row; the modules add theirs.
POST_EXPECTED: dict[str, tuple[Any, ...]] = {}
for _module in MODULES:
    _overlap = set(_module.GET_EXPECTED) & set(GET_EXPECTED)
    assert not _overlap, f"{_module.__name__} repeats rows: {_overlap}"
    GET_EXPECTED.update(_module.GET_EXPECTED)
    POST_EXPECTED.update(_module.POST_EXPECTED)


@dataclass
class Site:
    """The `world` plus what each module's `setup(site)` made, by module name (see MODULES)."""

    world: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def made(self, module: ModuleType) -> Any:
        """What `module.setup(site)` made. Modules are set up in INSTALLED_APPS order, but a
        module's rows may need another's objects (plans tag the events' course with a goal, and
        plans come first): asking for them sets that module up first."""
        if module.__name__ not in self.extra:
            self.extra[module.__name__] = module.setup(self)
        return self.extra[module.__name__]

    def of(self, label: str) -> Any:
        """The objects of the app `label`'s rows."""
        return self.made(next(m for m in MODULES if m.__name__ == f"bokbro.{label}.tests.access"))

    def objects(self, name: str) -> Any:
        """The objects of the module whose rows hold the URL `name`."""
        module = module_of(name)
        assert module is not None, f"no rows for {name}"
        return self.extra[module.__name__]

    @property
    def event(self) -> Any:
        """The events' public course, which plans/tests/access_report.py tags with a goal."""
        return self.of("events")["event"]


@pytest.fixture
def site(world: Any, settings: Any, tmp_path: Any) -> Site:
    """The site for one test (the browser tests' live server needs it committed)."""
    settings.MEDIA_ROOT = tmp_path
    site = Site(world)
    for module in MODULES:
        site.made(module)
    return site


@pytest.fixture(scope="module")
def matrix_site(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """The site for every test of this module, built once: in a transaction that is rolled back
    after the module's last test. Each test runs inside it in a savepoint of its own
    (pytest-django's `django_db`), rolled back after the test, so every test starts from the
    same data, as if the site had been built for it alone. Building the site for each of the
    ~800 tests took most of this module's time (docs/performance.md, "The test suite's time")."""
    from django.test.utils import override_settings

    from bokbro.conftest import make_world

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media")),
    ):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # as Django's TestCase does
        atomic.__enter__()
        try:
            site = Site(make_world())
            for module in MODULES:
                site.made(module)
            yield site
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def url_kwargs(name: str, site: Site) -> dict[str, Any]:
    if (module := module_of(name)) is not None:
        return dict(module.url_kwargs(name, site, site.objects(name)))
    return {}


def post_data(name: str, site: Site) -> dict[str, Any]:
    """Valid form data, so that a permitted role really changes something."""
    if (module := module_of(name)) is not None:
        return dict(module.post_data(name, site, site.objects(name)))
    return {}


def client_as(role: str, site: Site, client_for: Any) -> Any:
    if role == "outsider_home":
        return client_for(site.world.outsider, host=OUTSIDER_HOST)
    return client_for(site.world.users()[role])


def own_url_names() -> set[str]:
    """The named URL patterns of the project's own apps, found by walking the resolver: every
    pattern but Django admin's and allauth's (whose public pages the table lists by hand)."""
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                if pattern.namespace != "admin" and not module.startswith("allauth."):
                    walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern} in {namespace}"
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), "")
    return names


def assert_answer(response: Any, expected: Any, what: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert response["Location"].startswith(reverse("account_login") + "?next="), what
    elif expected == AWAY:
        assert response.status_code == 302, what
        assert not response["Location"].startswith(reverse("account_login")), what
    else:
        assert response.status_code == expected, what


def database_state() -> dict[str, list[dict[str, Any]]]:
    return {"audit": list(AuditEntry.objects.order_by("pk").values())} | {
        f"{module.__name__}:{key}": rows
        for module in MODULES
        for key, rows in module.database_state().items()
    }


def hidden_texts(role: str, site: Site) -> list[str]:
    """Texts this role must never see: personal data and internal notes, by module."""
    return [
        text
        for module in MODULES
        for text in module.hidden_texts(role, site, site.extra[module.__name__])
    ]


def test_every_url_of_the_project_is_in_the_table():
    missing = own_url_names() - set(GET_EXPECTED)
    assert not missing, f"add these URLs to GET_EXPECTED with their access rules: {missing}"
    stale = set(GET_EXPECTED) - own_url_names() - ALLAUTH_PAGES
    assert not stale, f"these URLs are gone: {stale}"


# Protected pages that change nothing, so they need no POST row.
READ_ONLY: set[str] = set()
for _module in MODULES:
    READ_ONLY |= set(_module.READ_ONLY)


def test_every_protected_url_has_a_post_row():
    protected = {name for name, row in GET_EXPECTED.items() if 403 in row}
    missing = protected - READ_ONLY - set(POST_EXPECTED)
    assert not missing, f"add POST rows for: {missing}"


@pytest.mark.parametrize("name", sorted(GET_EXPECTED))
def test_get_answers_each_role_as_the_table_says(name, matrix_site, client_for):
    site = matrix_site
    url = reverse(name, kwargs=url_kwargs(name, site))
    for role, expected in zip(ROLES, GET_EXPECTED[name], strict=True):
        response = client_as(role, site, client_for).get(url)
        assert_answer(response, expected, f"GET {url} as {role}")
        if role in {"anonymous", "public", "staff", "outsider", "outsider_home"}:
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")  # downloads (XLSX, files) are bytes
            leaked = [text for text in hidden_texts(role, site) if text in body]
            assert not leaked, f"GET {url} as {role} shows personal data: {leaked}"


def rows_written() -> int:
    """How many rows this connection's transaction has inserted, updated or deleted so far: a
    counter that only grows. While it stands still nothing was written, so the tables' contents
    cannot have changed and need not be read again (reading every module's tables twice per role
    was three quarters of this module's time; docs/performance.md, "The test suite's time")."""
    if connection.vendor == "sqlite":
        return int(connection.connection.total_changes)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_all_tables"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_post_changes_data_only_for_permitted_roles(name, matrix_site, client_for):
    site = matrix_site
    url = reverse(name, kwargs=url_kwargs(name, site))
    data = post_data(name, site)
    before = database_state()
    for role, expected in zip(ROLES, POST_EXPECTED[name], strict=True):
        # Each role starts from the same data: the savepoint is rolled back after the request.
        with transaction.atomic():
            client = client_as(role, site, client_for)  # signing in writes, but not the state
            written = rows_written()
            response = client.post(url, data)
            changed = rows_written() != written and database_state() != before
            transaction.set_rollback(True)
        assert_answer(response, expected, f"POST {url} as {role}")
        if expected == 302:
            # The data is good enough to do harm, so "nothing changed" below means something.
            assert changed, f"POST {url} as {role} changed nothing"
        else:
            assert not changed, f"POST {url} as {role} changed data"


OBJECT_URLS: list[str] = []
for _module in MODULES:
    OBJECT_URLS += list(_module.OBJECT_URLS)


def test_every_url_with_an_object_has_a_missing_object_test(matrix_site):
    site = matrix_site
    with_object = {name for name in GET_EXPECTED if url_kwargs(name, site)}
    assert with_object == set(OBJECT_URLS)


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_missing_object_answers_404(name, matrix_site, client_for):
    site = matrix_site
    kwargs = url_kwargs(name, site)
    missing = {
        key: value if key == "country" else 9_999_999 if isinstance(value, int) else "99"
        for key, value in kwargs.items()
    }
    url = reverse(name, kwargs=missing)
    client = client_for(site.world.admin)

    post_only = 405 in GET_EXPECTED[name]
    if name == "api:register":  # a JSON body, valid but for the missing event
        body = json.dumps({"name": "A", "email": "a@example.org"})
        response = client.post(url, body, content_type="application/json")
    elif post_only:
        response = client.post(url, post_data(name, site))
    else:
        response = client.get(url)

    assert response.status_code == 404
