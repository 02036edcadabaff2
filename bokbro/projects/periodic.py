"""Periodic work of the projects module, run by `bokbro periodic`. Idempotent: running it twice
does nothing the second time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.periodic import each
from bokbro.projects.models import StatusReport

REMINDER_DAYS = 14


def report_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the project's contact person (or the agency's address) of a status report that is
    not submitted, `REMINDER_DAYS` before it is due. One reminder per due date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = StatusReport.objects.filter(
        submitted_on__isnull=True,
        reminder_sent_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("project", "project__agency", "project__contact__user", "funder")
    sent: list[StatusReport] = []

    def remind(report: StatusReport) -> None:
        # Claim the report with a conditional UPDATE: two workers never both send.
        claimed = StatusReport.objects.filter(
            pk=report.pk, reminder_sent_at__isnull=True, submitted_on__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            return
        project = report.project
        agency = project.agency
        contact = project.contact
        to = contact.email if contact is not None and contact.email else agency.email
        if not to:
            return
        user = contact.user if contact is not None else None
        send_email(
            to=to,
            template="projects/report_reminder",
            context={"report": report, "project": project, "contact": contact},
            agency=agency,
            language=(user.language if user is not None else "") or agency.language,
        )
        audit_log(
            action="projects.report.reminded",
            agency=agency,
            target=project,
            data={"year": report.year, "due_on": report.due_on.isoformat(), "to": to},
        )
        sent.append(report)

    each("projects: report reminders", list(due), remind)
    return len(sent)


def run(now: datetime | None = None) -> dict[str, int]:
    return {"project report reminders sent": report_reminders_send(now=now)}
