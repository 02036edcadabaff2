"""Composing an issue, a test copy, and sending it now or at a set time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.tasks import queue_message
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.models import Event
from bokbro.newsletter.models import Issue, IssueImage, IssueStatus, MailingList
from bokbro.newsletter.rendering import IssueRenderer
from bokbro.newsletter.services import NewsletterError
from bokbro.newsletter.services.recipients import issue_start
from bokbro.newsletter.tasks import issue_send_enqueue


@dataclass(frozen=True, kw_only=True)
class IssueFields:
    """An issue as the staff's form gives it (the defaults are the model's)."""

    mailing_list: MailingList
    subject: str
    intro: str = ""
    body: str = ""
    is_archived: bool = True
    events: tuple[Event, ...] = ()


@transaction.atomic
def issue_save(*, actor: Actor, agency: Agency, issue: Issue | None, fields: IssueFields) -> Issue:
    created = issue is None
    if issue is None:
        issue = Issue(agency=agency, created_by=actor if actor else None)
    elif not Issue.objects.select_for_update().get(pk=issue.pk).is_editable:
        raise NewsletterError(_("An issue that is being sent or has been sent can't be changed."))
    if fields.mailing_list.agency_id != agency.pk:
        raise NewsletterError(_("Choose one of your lists."))
    issue.mailing_list = fields.mailing_list
    issue.subject = fields.subject
    issue.intro = fields.intro
    issue.body = fields.body
    issue.is_archived = fields.is_archived
    issue.save()
    issue.events.set(fields.events)
    audit_log(
        action="newsletter.issue.created" if created else "newsletter.issue.updated",
        actor=actor,
        agency=agency,
        target=issue,
    )
    return issue


@transaction.atomic
def issue_schedule(*, actor: Actor, agency: Agency, issue: Issue, when: datetime | None) -> Issue:
    """Send at `when`, or now (None): recipients are fixed when sending starts."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk, agency=agency)
    if not locked.is_editable:
        raise NewsletterError(_("The issue is already being sent."))
    now = timezone.now()
    if when is None or when <= now:
        issue_start(issue=locked, now=now, actor=actor)
        issue_send_enqueue(issue_id=locked.pk)
    else:
        locked.status = IssueStatus.SCHEDULED
        locked.scheduled_at = when
        locked.save(update_fields=["status", "scheduled_at", "updated_at"])
        audit_log(
            action="newsletter.issue.scheduled",
            actor=actor,
            agency=agency,
            target=locked,
            data={"at": when.isoformat()},
        )
    return locked


@transaction.atomic
def issue_unschedule(*, actor: Actor, agency: Agency, issue: Issue) -> Issue:
    updated = Issue.objects.filter(pk=issue.pk, agency=agency, status=IssueStatus.SCHEDULED).update(
        status=IssueStatus.DRAFT, scheduled_at=None
    )
    if not updated:
        raise NewsletterError(_("The issue is not scheduled."))
    audit_log(action="newsletter.issue.unscheduled", actor=actor, agency=agency, target=issue)
    issue.refresh_from_db()
    return issue


def issue_send_test(*, actor: Actor, issue: Issue, email: str) -> None:
    """One copy to the staff member, rendered exactly as subscribers get it."""

    language = getattr(actor, "language", "") or issue.agency.language
    renderer = IssueRenderer(issue)
    message = renderer.message_for(email=email, name="", language=language, test=True)
    queue_message(
        to=[email],
        subject=str(message.subject),
        text=str(message.body),
        html=str(message.alternatives[0][0]) if message.alternatives else None,
        from_email=message.from_email,
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
    )
    audit_log(
        action="newsletter.issue.tested",
        actor=actor,
        agency=issue.agency,
        target=issue,
    )


@transaction.atomic
def issue_image_add(*, actor: Actor, issue: Issue, file: Any, alt: str, caption: str = "") -> Any:

    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if not locked.is_editable:
        raise NewsletterError(_("An issue that is being sent or has been sent can't be changed."))
    image = IssueImage(issue=locked, alt=alt, caption=caption, position=locked.images.count())
    image.file.save(file.name, file, save=False)
    image.save()
    audit_log(action="newsletter.issue.updated", actor=actor, agency=locked.agency, target=locked)
    return image
