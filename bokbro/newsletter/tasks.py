"""Background work of the newsletter module (tasks take ids; see sending.py)."""

from __future__ import annotations

from django_tasks import task

from bokbro.core.tasks import enqueue_on_commit
from bokbro.newsletter import sending


@task()
def issue_send(*, issue_id: int) -> dict[str, int]:
    """Send an issue's waiting rows over one connection. Several run at once (on several
    workers) without sending a row twice: each claims its own batches."""
    return sending.send_pending(issue_id=issue_id).as_dict()


def issue_send_enqueue(*, issue_id: int) -> None:
    """One sending task per connection the issue may use (`sending.senders_per_issue`), queued
    after commit: as many free task workers as there are tasks send the issue together."""
    for _n in range(sending.senders_per_issue()):
        enqueue_on_commit(issue_send, issue_id=issue_id)
