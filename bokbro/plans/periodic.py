"""Periodic work of the plans module (run by `bokbro periodic`, idempotent).

When a municipal library plan enters "expires soon" (kb.py: the municipality's plans all end
this year or next), the agency's team gets an e-mail listing the municipalities — once per plan
and year. The claim is a conditional UPDATE of `MunicipalPlan.reminded_for_year`: runs every few
minutes, or two workers at once, still send one mail per plan and year.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.periodic import each
from bokbro.directory.models import Agency
from bokbro.plans.kb import municipal_plan_overview
from bokbro.plans.models import MunicipalPlan
from bokbro.plans.services.municipal import municipal_plan_reminder_claim


def expiring_reminders_send(*, now: datetime | None = None) -> tuple[int, int]:
    """E-mail each agency's team about plans newly flagged "expires soon" this year.
    Returns (mails sent, plans reminded)."""
    year = timezone.localdate(now or timezone.now()).year
    agency_ids = (
        MunicipalPlan.objects.filter(ends_year__in=[year, year + 1])
        .exclude(reminded_for_year=year)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    sent: list[int] = []
    counted: list[int] = []

    def remind(agency: Agency) -> None:
        rows = [
            row
            for row in municipal_plan_overview(agency, year)
            if row.expires_soon
            and row.plan is not None
            and row.plan.reminded_for_year != year
            and municipal_plan_reminder_claim(plan_id=row.plan.pk, year=year)
        ]
        if not rows:
            return
        recipients = sorted(
            {email for email in agency.team.values_list("email", flat=True) if email}
        ) or ([agency.email] if agency.email else [])
        for row in rows:
            audit_log(
                action="plans.municipal_plan.reminded",
                agency=agency,
                target=row.plan,
                data={"municipality": row.municipality.name, "year": year},
            )
        counted.append(len(rows))
        if not recipients:
            return
        send_email(
            to=recipients,
            template="plans/expiring",
            context={
                "rows": rows,
                "year": year,
                "link": agency.absolute(reverse("plans:register") + "?status=expires_soon"),
            },
            agency=agency,
        )
        sent.append(1)

    each(
        "plans: expiring plan reminders",
        Agency.objects.filter(pk__in=list(agency_ids)),
        remind,
    )
    return len(sent), sum(counted)


def run(now: datetime | None = None) -> dict[str, int]:
    mails, reminded = expiring_reminders_send(now=now)
    return {
        "library plan reminder mails sent": mails,
        "municipal library plans reminded": reminded,
    }
