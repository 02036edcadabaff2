"""The class sets' periodic work: unconfirmed bookings give their copies back in time."""

from __future__ import annotations

from datetime import datetime

from bokbro.classsets.services import release_expired


def run(now: datetime | None = None) -> dict[str, int]:
    return {"classsets.released": release_expired(now=now)}
