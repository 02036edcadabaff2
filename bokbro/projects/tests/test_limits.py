"""Amounts and dates of projects have ranges, on the page and in the database (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from bokbro.projects.models import FundingLine, StatusReport

pytestmark = pytest.mark.django_db


def test_an_amount_of_a_hundred_million_is_a_form_error(world, client_for, project, own):
    response = client_for(world.consultant, language="en").post(
        f"/projects/staff/{project.pk}/funding/new/",
        {"funder": own.pk, "year": "2026", "applied": "100000000", "granted": "", "reported": ""},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 99999999.99." in response.content.decode()
    assert not FundingLine.objects.exists()


def test_the_database_refuses_amounts_and_dates_out_of_range(project, own):
    line = FundingLine.objects.create(project=project, funder=own, year=2026, applied=Decimal(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLine.objects.filter(pk=line.pk).update(granted=Decimal("100000000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(project=project, year=2026, due_on="2101-01-01")
