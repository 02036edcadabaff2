"""Periodic work of the newsletter module, run by `bokbro periodic`. Idempotent.

Starts scheduled issues that are due and hands issues nobody is working on (a worker was
killed, retries came due) to a task worker. The sending itself happens in the task, or in a
`manage.py newsletter_send` process where one runs."""

from __future__ import annotations

from bokbro.core.tasks import enqueue_on_commit
from bokbro.newsletter import sending
from bokbro.newsletter.tasks import issue_send


def run() -> dict[str, int]:
    started = sending.issues_start_due()
    resumed = sending.issues_needing_a_worker()
    for issue_id in resumed:
        enqueue_on_commit(issue_send, issue_id=issue_id)
    finished = sending.issues_finish()
    return {
        "newsletter_issues_started": started,
        "newsletter_issues_resumed": len(resumed),
        "newsletter_issues_finished": finished,
    }
