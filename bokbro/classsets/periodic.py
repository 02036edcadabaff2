"""The class sets' periodic work: unconfirmed bookings give their copies back in time, and the
teachers' names and addresses go when the bookings have served their purpose."""

from __future__ import annotations

from datetime import datetime

from bokbro.classsets.privacy import bookings_anonymise, served_their_purpose
from bokbro.classsets.services import release_expired


def run(now: datetime | None = None) -> dict[str, int]:
    return {
        "classsets.released": release_expired(now=now),
        "classsets.anonymised": bookings_anonymise(served_their_purpose(now)),
    }
