"""The class sets' background work: the outbox's sending task (classsets/notices.py). It takes
an id, is enqueued after commit, and keeps its dotted path (`bokbro.classsets.tasks.send_notices`),
which the database queue stores with each queued task."""

from __future__ import annotations

from django_tasks import task

from bokbro.classsets import notices


@task(queue_name="email")
def send_notices(*, title_id: int) -> int:
    """Send the title's bookings' pending mails (the outbox, notices.send)."""
    return notices.send(title_id)
