"""Periodic work of the newsletter module, run by `bokbro periodic`. Idempotent.

Starts scheduled issues that are due and hands issues nobody is working on (every loop
sending one was killed, or retries came due) to the task workers. The sending itself happens
in the tasks, or in `manage.py newsletter_send` processes where they run."""

from __future__ import annotations

from datetime import datetime

from bokbro.newsletter import sending
from bokbro.newsletter.tasks import issue_send_enqueue


def run(now: datetime | None = None) -> dict[str, int]:
    started = sending.issues_start_due(now=now)
    resumed = sending.issues_needing_a_worker(now=now)
    for issue_id in resumed:
        issue_send_enqueue(issue_id=issue_id)
    finished = sending.issues_finish()
    return {
        "newsletter_issues_started": started,
        "newsletter_issues_resumed": len(resumed),
        "newsletter_issues_finished": finished,
    }
