"""Fixed test users, one per role, on two agencies (STYLE.md §13).

`world` builds a small region: the Norwegian agency serves county 31 (two municipalities, each
with a main library); the Swedish agency serves county 06. Users:

- admin, consultant: the Norwegian agency's team
- manager: library manager at Fredrikstad bibliotek; staff: library staff there
- other_manager: manager at Sarpsborg bibliotek (same region, other library)
- public: signed in, no role
- outsider: consultant of the Swedish agency
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("BOKBRO_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    agency: Any
    other_agency: Any
    county: Any
    other_county: Any
    municipality: Any
    library: Any
    other_library: Any
    swedish_library: Any
    admin: Any
    consultant: Any
    manager: Any
    staff: Any
    other_manager: Any
    public: Any
    outsider: Any
    manager_person: Any
    staff_person: Any

    def users(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "public": self.public,
            "staff": self.staff,
            "manager": self.manager,
            "consultant": self.consultant,
            "admin": self.admin,
            "outsider": self.outsider,
        }


def make_world() -> World:
    from bokbro.accounts.services import user_create
    from bokbro.directory.models import (
        Agency,
        AgencyRole,
        County,
        Library,
        LibraryKind,
        LibraryRole,
        LibraryRoleKind,
        Municipality,
        Person,
        TeamMember,
    )
    from bokbro.directory.tenancy import forget_hosts

    county = County.objects.create(country="NO", code="31", name="Østfold")
    other_county = County.objects.create(country="SE", code="06", name="Jönköpings län")
    fredrikstad = Municipality.objects.create(
        country="NO", code="3107", name="Fredrikstad", county=county, population=85000
    )
    sarpsborg = Municipality.objects.create(
        country="NO", code="3105", name="Sarpsborg", county=county, population=59000
    )
    varnamo = Municipality.objects.create(
        country="SE", code="0683", name="Värnamo", county=other_county, population=34000
    )
    library = Library.objects.create(
        name="Fredrikstad bibliotek", kind=LibraryKind.MAIN, municipality=fredrikstad
    )
    other_library = Library.objects.create(
        name="Sarpsborg bibliotek", kind=LibraryKind.MAIN, municipality=sarpsborg
    )
    swedish_library = Library.objects.create(
        name="Värnamo bibliotek", kind=LibraryKind.MAIN, municipality=varnamo, sigel="Vrn"
    )
    agency = Agency.objects.create(
        slug="ostfold",
        name="Bibliotekutvikling Østfold",
        country="NO",
        language="nb",
        currency="NOK",
        hosts="ostfold.testserver",
        is_default=True,
        email="post@ostfold.example",
    )
    agency.counties.set([county])
    other_agency = Agency.objects.create(
        slug="jonkoping",
        name="Biblioteksutveckling Jönköping",
        country="SE",
        language="sv",
        currency="SEK",
        hosts="jonkoping.testserver",
    )
    other_agency.counties.set([other_county])

    def team_user(agency: Any, email: str, name: str, role: str) -> Any:
        TeamMember.objects.create(agency=agency, email=email, name=name, role=role)
        return user_create(email=email, name=name)

    def library_user(library: Any, email: str, name: str, role: str) -> tuple[Any, Any]:
        person = Person.objects.create(name=name, email=email)
        LibraryRole.objects.create(person=person, library=library, role=role)
        return user_create(email=email, name=name), person

    admin = team_user(agency, "admin@ostfold.example", "Ingrid Admin", AgencyRole.ADMIN)
    consultant = team_user(agency, "kari@ostfold.example", "Kari Konsulent", AgencyRole.CONSULTANT)
    outsider = team_user(
        other_agency, "johan@jonkoping.example", "Johan Utomstående", AgencyRole.CONSULTANT
    )
    manager, manager_person = library_user(
        library, "ola@fredrikstad.example", "Ola Sjef", LibraryRoleKind.MANAGER
    )
    staff, staff_person = library_user(
        library, "aisha@fredrikstad.example", "Aisha Bibliotekar", LibraryRoleKind.STAFF
    )
    other_manager, _ = library_user(
        other_library, "marte@sarpsborg.example", "Marte Sjef", LibraryRoleKind.MANAGER
    )
    public = user_create(email="citizen@example.org", name="Vanlig Bruker")
    forget_hosts()
    return World(
        agency=agency,
        other_agency=other_agency,
        county=county,
        other_county=other_county,
        municipality=fredrikstad,
        library=library,
        other_library=other_library,
        swedish_library=swedish_library,
        admin=admin,
        consultant=consultant,
        manager=manager,
        staff=staff,
        other_manager=other_manager,
        public=public,
        outsider=outsider,
        manager_person=manager_person,
        staff_person=staff_person,
    )


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _clear_host_cache() -> Any:
    from django.core.cache import cache

    from bokbro.classsets import refusals
    from bokbro.events import page_cache

    cache.clear()
    page_cache.forget_all()  # the calendar pages kept in this process's memory
    refusals.forget_all()  # the class sets' reads and regions kept in this process's memory
    yield
    cache.clear()
    page_cache.forget_all()


@pytest.fixture
def client_for(client: Any) -> Any:
    """`client_for(user)`: the test client signed in as `user` (None: anonymous), on `host`,
    optionally with the language switcher's cookie set to `language`."""

    def make(user: Any, host: str = "testserver", language: str | None = None) -> Any:
        from django.test import Client

        c = Client(HTTP_HOST=host)
        if user is not None:
            c.force_login(user)
        if language:
            c.cookies["bokbro_language"] = language
        return c

    return make
