"""Consultations and tours take only dates, hours and texts within their ranges (issue 13)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from bokbro.advisory.models import Consultation, Tour

pytestmark = pytest.mark.django_db


def test_a_consultation_out_of_range_is_refused_with_the_reasons(world, client_for):
    response = client_for(world.consultant, language="en").post(
        "/advisory/new/",
        {
            "date": "1899-03-02",
            "kind": "meeting",
            "consultant": world.consultant.pk,
            "libraries": [world.library.pk],
            "hours": "900",
            "summary": "x" * 2_001,
            "internal_notes": "y" * 5_001,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write a date from the year 2000 to 2100." in page
    assert "Ensure this value is less than or equal to 500." in page
    assert "Ensure this value has at most 2000 characters (it has 2001)." in page
    assert "Ensure this value has at most 5000 characters (it has 5001)." in page
    assert not Consultation.objects.exists()


def test_a_tour_in_the_year_2200_is_refused_on_the_page_and_in_the_database(world, client_for):
    response = client_for(world.consultant, language="en").post(
        "/advisory/tours/new/",
        {
            "title": "For langt fram",
            "consultant": world.consultant.pk,
            "starts_on": "2200-01-01",
            "ends_on": "2200-01-02",
        },
    )
    assert "Write a date from the year 2000 to 2100." in response.content.decode()
    assert not Tour.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Tour.objects.create(
            agency=world.agency,
            title="Likevel",
            consultant=world.consultant,
            starts_on="2200-01-01",
            ends_on="2200-01-02",
        )
