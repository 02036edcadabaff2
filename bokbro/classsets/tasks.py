"""The class sets' background work: the outbox's sending task (classsets/notices.py). It takes
an id, is enqueued after commit by `queue` (services call it), and keeps its dotted path
(`bokbro.classsets.tasks.send_notices`), which the database queue stores with each queued task."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from bokbro.classsets import notices
from bokbro.core.tasks import enqueue_on_commit

# How long a queued task waits, gathering the mails of a burst, where the task backend can
# defer (the database queue can; the immediate backend of tests and the demo sends at once).
NOTICE_DELAY = timedelta(seconds=1)


@task(queue_name="email")
def send_notices(*, title_id: int) -> int:
    """Send the title's bookings' pending mails (the outbox, notices.send)."""
    return notices.send(title_id)


def queue(title_id: int) -> None:
    """Queue, after commit, the task that sends the title's pending mails."""
    sender = send_notices
    if sender.get_backend().supports_defer:
        sender = sender.using(run_after=timezone.now() + NOTICE_DELAY)
    enqueue_on_commit(sender, title_id=title_id)
