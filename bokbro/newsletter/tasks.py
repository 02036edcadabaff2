"""Background work of the newsletter module (tasks take ids; see sending.py)."""

from __future__ import annotations

from django_tasks import task

from bokbro.newsletter import sending


@task()
def issue_send(*, issue_id: int) -> dict[str, int]:
    """Send an issue's waiting rows. Safe to run twice or alongside `newsletter_send`: rows are
    claimed, so each worker sends different ones."""
    return sending.send_pending(issue_id=issue_id).as_dict()
