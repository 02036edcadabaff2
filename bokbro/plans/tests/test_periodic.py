"""The reminder when a municipal library plan enters "expires soon"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from bokbro.core.models import AuditEntry
from bokbro.plans import periodic
from bokbro.plans.models import MunicipalPlan
from bokbro.plans.services import municipal

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 3, 1, 7, 0))


def register(world: Any, municipality: Any, starts: int, ends: int | None) -> MunicipalPlan:
    return municipal.municipal_plan_create(
        actor=world.consultant,
        agency=world.agency,
        fields=municipal.MunicipalPlanFields(
            municipality=municipality,
            title=f"Bibliotekplan for {municipality.name}",
            starts_year=starts,
            ends_year=ends,
        ),
    )


def test_the_team_is_reminded_once_when_a_plan_expires_soon(
    world, django_capture_on_commit_callbacks
):
    plan = register(world, world.municipality, 2023, 2027)  # ends next year
    register(world, world.other_library.municipality, 2024, 2030)  # not soon

    with django_capture_on_commit_callbacks(execute=True):
        first = periodic.run(NOW)
    with django_capture_on_commit_callbacks(execute=True):
        second = periodic.run(NOW)
    assert first == {"library plan reminder mails sent": 1, "municipal library plans reminded": 1}
    assert second == {"library plan reminder mails sent": 0, "municipal library plans reminded": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["admin@ostfold.example", "kari@ostfold.example"]
    assert "Fredrikstad" in message.body and "Sarpsborg" not in message.body
    assert "/plans/municipal/?status=expires_soon" in message.body
    plan.refresh_from_db()
    assert plan.reminded_for_year == 2026
    assert AuditEntry.objects.filter(action="plans.municipal_plan.reminded").count() == 1


def test_the_reminder_comes_again_the_next_year_while_the_plan_still_expires_soon(
    world, django_capture_on_commit_callbacks
):
    register(world, world.municipality, 2023, 2027)
    with django_capture_on_commit_callbacks(execute=True):
        periodic.run(NOW)
        periodic.run(NOW)
        periodic.run(NOW.replace(year=2027))
    assert len(mail.outbox) == 2


def test_no_reminder_when_a_successor_is_registered(world):
    register(world, world.municipality, 2023, 2026)
    register(world, world.municipality, 2027, 2030)
    assert periodic.run(NOW)["library plan reminder mails sent"] == 0
    assert mail.outbox == []
