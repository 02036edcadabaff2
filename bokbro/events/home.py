"""The events section of the agency's front page: the next courses and network meetings, and for
a signed-in person their own coming places. Declared as `home_section` in `EventsConfig`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bokbro.core.home import HomeSection
from bokbro.core.types import AgencyRequest
from bokbro.events.models import SEAT_HOLDING, Event, Registration, RegistrationStatus

SHOWN = 5


def upcoming(request: AgencyRequest) -> dict[str, Any] | None:
    events = list(Event.objects.visible_on(request.agency).upcoming().for_list()[:SHOWN])
    mine: list[Registration] = []
    if request.user.is_authenticated:
        mine = list(
            Registration.objects.filter(
                user=request.user,
                event__ends_at__gt=timezone.now(),
                status__in=[*SEAT_HOLDING, RegistrationStatus.WAITING],
            )
            .select_related("event")
            .order_by("event__starts_at")[:SHOWN]
        )
    return {"events": events, "mine": mine}


SECTION = HomeSection(
    key="events", template="events/_home_section.html", context=upcoming, order=10
)
