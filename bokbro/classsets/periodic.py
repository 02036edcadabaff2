"""The class sets' periodic work: unconfirmed bookings give their copies back in time, and the
teachers' names and addresses go when the bookings have served their purpose; places in
the queue whose dates have passed end; teachers are reminded before delivery and return, and
when the copies are overdue (each mail once); and what a lost task left in the outbox is sent."""

from __future__ import annotations

from datetime import datetime

from bokbro.classsets import notices
from bokbro.classsets.privacy import (
    bookings_anonymise,
    queue_anonymise,
    served_their_purpose,
)
from bokbro.classsets.queue import expire_passed
from bokbro.classsets.reminders import reminders_send
from bokbro.classsets.services import release_expired


def run(now: datetime | None = None) -> dict[str, int]:
    reminded = reminders_send(now=now)
    return {
        "classsets.released": release_expired(now=now),
        "classsets.anonymised": bookings_anonymise(served_their_purpose(now)),
        "classsets.queue_passed": expire_passed(now=now),
        "classsets.queue_anonymised": queue_anonymise(now),
        "classsets.reminded_delivery": reminded["delivery"],
        "classsets.reminded_return": reminded["return"],
        "classsets.overdue_mailed": reminded["overdue"],
        "classsets.booking_mails_sent": notices.send_pending(),
    }
