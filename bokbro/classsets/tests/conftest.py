from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from bokbro.classsets import notices, services
from bokbro.classsets.models import Title, monday
from bokbro.classsets.services import BookingRequest, TitleData
from bokbro.directory.models import Organisation, OrganisationKind


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages from services and models are read in English here; pages choose their own
    language per request (the cookie, else the agency's: bokmål for the Norwegian agency)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def next_monday(weeks: int = 2) -> date:
    return monday(timezone.localdate()) + timedelta(weeks=weeks)


def make_school(world: Any, name: str = "Gressvik skole", municipality: Any = None) -> Any:
    return Organisation.objects.create(
        name=name,
        kind=OrganisationKind.SCHOOL,
        municipality=municipality or world.municipality,
    )


def make_title(
    world: Any, copies: int | list[int] = 30, isbn: str = "9788202000000", **extra: Any
) -> Title:
    from bokbro.core.isbn import isbn13_check

    isbn = isbn[:12] + isbn13_check(isbn[:12])
    title = services.title_create(
        actor=world.consultant,
        agency=world.agency,
        data=TitleData(
            isbn=isbn,
            title=extra.pop("title", "Doktor Proktors prompepulver"),
            author=extra.pop("author", "Jo Nesbø"),
            **extra,
        ),
    )
    for n in [copies] if isinstance(copies, int) else copies:
        services.class_set_save(actor=world.consultant, agency=world.agency, title=title, copies=n)
    return title


def request_for(world: Any, title: Title, **overrides: Any) -> BookingRequest:
    start = overrides.pop("starts_on", next_monday())
    values: dict[str, Any] = {
        "title": title,
        "copies": 25,
        "starts_on": start,
        "ends_on": start + timedelta(weeks=4) - timedelta(days=3),
        "school": overrides.pop("school", None) or world.school,
        "class_name": "6B",
        "contact_name": "Lærer Lise",
        "contact_email": "lise@skole.example",
        "delivery_library": world.library,
    }
    values.update(overrides)
    return BookingRequest(**values)


def book(world: Any, title: Title, **overrides: Any) -> Any:
    """A booking as a teacher makes it, its mail sent earlier (the outbox's task has run: a
    test's transaction never commits, so the task queued on commit would not). The tests look
    at what follows: to see the booking's own mail, book inside `mails`."""
    booking = services.booking_create(
        agency=world.agency, request=request_for(world, title, **overrides)
    )
    earlier = len(mail.outbox)
    notices.send(title.pk)
    del mail.outbox[earlier:]
    booking.notice = ""
    return booking


@pytest.fixture
def cs(world: Any) -> Any:
    """The world with a school in Fredrikstad and a title of 30 copies."""
    world.school = make_school(world)
    world.title = make_title(world)
    return world


@pytest.fixture
def mails(django_capture_on_commit_callbacks: Any) -> Any:
    def run(action: Any) -> tuple[Any, list[Any]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, list(mail.outbox)

    return run
