"""The demo: both agencies get a catalogue with real ISBNs, sets and bookings; idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from bokbro.classsets import demo
from bokbro.classsets.models import Booking, ClassSet, CourierRoute, HolidayPeriod, Title
from bokbro.core.isbn import normalise_isbn
from bokbro.directory.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def counts() -> list[int]:
    models = (Title, ClassSet, Booking, HolidayPeriod, Organisation, CourierRoute)
    return [m.objects.count() for m in models]


def test_the_demo_is_idempotent_and_books_for_both_agencies(world: Any) -> None:
    Organisation.objects.create(
        name="Hauge skole", kind=OrganisationKind.SCHOOL, municipality=world.municipality
    )
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    for agency in (world.agency, world.other_agency):
        titles = Title.objects.filter(agency=agency)
        assert titles.count() >= 5
        assert Booking.objects.filter(agency=agency).exists()
        assert CourierRoute.objects.filter(agency=agency).exists()
        for title in titles:
            assert normalise_isbn(title.isbn) == title.isbn
    assert Title.objects.filter(agency=world.other_agency, language="sv").exists()
