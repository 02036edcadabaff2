"""Job shadowing's periodic work, idempotent (each row is marked by a conditional UPDATE before
its mail is queued, so two runs at once send one mail):

- the manager (or, with none in the directory, the agency) of an application waiting for their
  consent for `REMINDER_DAYS` is reminded once, and so is the host waiting to answer;
- when a stay is over, the guest and the host are asked once for the short report they have not
  written yet — or, when the offer's reports are a competence survey, invited to it;
- a declined or withdrawn application is deleted `REFUSED_RETENTION_DAYS` after it was made
  (it counts in no statistics; the person's motivation has no use left)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bokbro.core.emails import send_email
from bokbro.shadowing.models import Application, Status
from bokbro.shadowing.services import ask_consent, reports_by_survey

REMINDER_DAYS = 7
REFUSED_RETENTION_DAYS = 365


def _claim(application: Application, field: str, now: datetime) -> bool:
    return bool(
        Application.objects.filter(pk=application.pk, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
    )


def remind_managers(now: datetime) -> int:
    waiting = Application.objects.filter(
        status=Status.MANAGER,
        manager_reminded_at__isnull=True,
        created_at__lte=now - timedelta(days=REMINDER_DAYS),
    ).select_related(
        "offer__agency", "offer__report_survey", "person", "library", "applicant_agency"
    )
    sent = 0
    for application in waiting:
        with transaction.atomic():
            if _claim(application, "manager_reminded_at", now):
                ask_consent(application)
                sent += 1
    return sent


def remind_hosts(now: datetime) -> int:
    waiting = Application.objects.filter(
        status=Status.HOST,
        host_reminded_at__isnull=True,
        manager_consent_at__lte=now - timedelta(days=REMINDER_DAYS),
    ).select_related("offer__agency", "person", "library")
    sent = 0
    for application in waiting:
        with transaction.atomic():
            if not _claim(application, "host_reminded_at", now):
                continue
            send_email(
                to=application.offer.contact_email,
                template="shadowing/host_reminder",
                context={"application": application, "offer": application.offer},
                agency=application.offer.agency,
            )
            sent += 1
    return sent


def ask_for_reports(now: datetime) -> int:
    today = timezone.localdate(now)
    over = Application.objects.filter(
        Q(guest_report="") | Q(host_report=""),
        status=Status.ACCEPTED,
        reports_asked_at__isnull=True,
        ends_on__lt=today,
    ).select_related(
        "offer__agency", "offer__report_survey", "person", "library", "applicant_agency"
    )
    asked = 0
    for application in over:
        with transaction.atomic():
            if not _claim(application, "reports_asked_at", now):
                continue
            offer = application.offer
            context = {"application": application, "offer": offer}
            guest = application.person
            guest_invited, host_invited = reports_by_survey(application=application)
            if guest_invited or application.guest_report:
                guest = None
            if guest is not None and guest.email:
                send_email(
                    to=guest.email,
                    template="shadowing/report_asked",
                    context={**context, "as_host": False},
                    agency=application.applicant_agency,
                )
            if not application.host_report and not host_invited:
                send_email(
                    to=offer.contact_email,
                    template="shadowing/report_asked",
                    context={**context, "as_host": True},
                    agency=offer.agency,
                )
            asked += 1
    return asked


def forget_refused(now: datetime) -> int:
    count, _by_model = Application.objects.filter(
        status__in=[Status.DECLINED, Status.WITHDRAWN],
        created_at__lt=now - timedelta(days=REFUSED_RETENTION_DAYS),
    ).delete()
    return count


def run(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {
        "shadowing.managers_reminded": remind_managers(now),
        "shadowing.hosts_reminded": remind_hosts(now),
        "shadowing.reports_asked": ask_for_reports(now),
        "shadowing.refused_deleted": forget_refused(now),
    }
