from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from bokbro.networks import services
from bokbro.networks.models import Joining, Network


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_network(world: Any, joining: str = Joining.OPEN, name: str = "Barnenettverket") -> Network:
    return services.network_save(
        actor=world.consultant,
        agency=world.agency,
        name=name,
        purpose="Vi deler **erfaringer** om barn og lesing.",
        joining=joining,
        contact_email="barn@ostfold.example",
    )


def meeting_data(days: int = 14, **extra: Any) -> services.MeetingData:
    start = timezone.now() + timedelta(days=days)
    return services.MeetingData(
        title=extra.pop("title", "Nettverksmøte"),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        **extra,
    )


@pytest.fixture
def net(world: Any) -> Any:
    """An open network with the manager as coordinator and the library staff as member."""
    world.network = make_network(world)
    services.member_set(
        actor=world.consultant,
        agency=world.agency,
        network=world.network,
        person=world.manager_person,
        coordinator=True,
    )
    services.member_set(
        actor=world.consultant,
        agency=world.agency,
        network=world.network,
        person=world.staff_person,
        coordinator=False,
    )
    return world


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
