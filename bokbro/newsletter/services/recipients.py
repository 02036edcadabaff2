"""Fixing an issue's recipients when its sending starts (sending.py starts scheduled issues
that are due; `issues.issue_schedule` those sent now)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.newsletter.models import (
    Delivery,
    Issue,
    IssueStatus,
    MailingList,
)
from bokbro.newsletter.selectors import list_recipients

DELIVERY_CHUNK = 2000


def issue_start(*, issue: Issue, now: datetime | None = None, actor: Actor | None = None) -> bool:
    """Fix the recipients of an issue: one delivery row per address, then status `sending`.

    Claimed with a conditional UPDATE, so two workers starting the same scheduled issue create
    its deliveries once. Runs inside the caller's transaction (or its own)."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Issue.objects.filter(
            pk=issue.pk, status__in=[IssueStatus.DRAFT, IssueStatus.SCHEDULED]
        ).update(status=IssueStatus.SENDING, sent_at=now)
        if not claimed:
            return False
        mailing_list = MailingList.objects.select_related("agency").get(pk=issue.mailing_list_id)
        recipients = list_recipients(mailing_list)
        Delivery.objects.bulk_create(
            [
                Delivery(issue_id=issue.pk, email=email, name=name[:200], language=language)
                for email, name, language in recipients
            ],
            batch_size=DELIVERY_CHUNK,
        )
        Issue.objects.filter(pk=issue.pk).update(recipients_count=len(recipients))
        audit_log(
            action="newsletter.issue.sent",
            actor=actor,
            agency=mailing_list.agency,
            target=issue,
            data={"recipients": len(recipients)},
        )
    issue.refresh_from_db()
    return True
