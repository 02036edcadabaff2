from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from bokbro.events.models import EventKind, EventStatus
from bokbro.events.services.events import SessionData, event_create


def make_event(agency: Any, *, actor: Any = None, sessions: int = 1, **overrides: Any):
    start = timezone.now() + timedelta(days=30)
    data: dict[str, Any] = {
        "kind": EventKind.COURSE,
        "title": "Bokprat for barn",
        "summary": "Hvordan snakke om bøker med barn",
        "venue": "Fredrikstad bibliotek",
        "status": EventStatus.PUBLISHED,
        "capacity": 30,
    }
    data.update(overrides)
    return event_create(
        actor=actor,
        agency=agency,
        **data,
        sessions=[
            SessionData(
                starts_at=start + timedelta(days=7 * i),
                ends_at=start + timedelta(days=7 * i, hours=3),
            )
            for i in range(sessions)
        ],
    )


@pytest.fixture
def event_factory(world):
    def make(**overrides: Any):
        return make_event(world.agency, actor=world.consultant, **overrides)

    return make
