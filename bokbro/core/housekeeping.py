"""The install's own periodic work, run by `bokbro periodic` after every module's: what the task
queue keeps is deleted once it has served its purpose.

- A finished task's row (its arguments: ids only, core/tasks.py) after `TASK_RESULTS_KEEP_DAYS`.
- A failed task's row, whose traceback may quote what it worked on, and a message whose delivery
  failed (`core.models.OutgoingMail`, holding an address and a personal link), after
  `TASK_FAILURES_KEEP_DAYS`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bokbro.core.models import OutgoingMail


def task_results_prune(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    finished = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL,
        finished_at__lt=now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS),
    ).delete()[0]
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED,
        finished_at__lt=now - timedelta(days=settings.TASK_FAILURES_KEEP_DAYS),
    ).delete()[0]
    return finished + failed


def undelivered_mail_prune(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TASK_FAILURES_KEEP_DAYS)
    return OutgoingMail.objects.filter(created_at__lt=cutoff).delete()[0]


def run(now: datetime | None = None) -> dict[str, int]:
    return {
        "task results pruned": task_results_prune(now=now),
        "undelivered e-mails pruned": undelivered_mail_prune(now=now),
    }
