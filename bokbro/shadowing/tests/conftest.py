from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from bokbro.accounts.services import user_create
from bokbro.directory.models import LibraryRole, LibraryRoleKind, Person


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def mails(django_capture_on_commit_callbacks: Any) -> Any:
    def run(action: Any) -> tuple[Any, list[Any]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, list(mail.outbox)

    return run


@pytest.fixture
def client_for(client_for: Any) -> Any:
    """The pages in English here (the language switcher's cookie), unless a test asks."""

    def make(user: Any, host: str = "testserver", language: str | None = "en") -> Any:
        return client_for(user, host=host, language=language)

    return make


@pytest.fixture
def swede(world: Any) -> Any:
    """Karin, library staff at Värnamo (the Swedish agency's region), and her manager Sven."""
    world.karin = user_create(email="karin@varnamo.example", name="Karin Bibliotekarie")
    world.karin_person = Person.objects.create(
        name="Karin Bibliotekarie", email=world.karin.email, user=world.karin
    )
    LibraryRole.objects.create(
        person=world.karin_person, library=world.swedish_library, role=LibraryRoleKind.STAFF
    )
    world.sven = user_create(email="sven@varnamo.example", name="Sven Chef")
    sven = Person.objects.create(name="Sven Chef", email=world.sven.email, user=world.sven)
    LibraryRole.objects.create(
        person=sven, library=world.swedish_library, role=LibraryRoleKind.MANAGER
    )
    return world
