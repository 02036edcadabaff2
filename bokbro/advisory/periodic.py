"""Periodic work of the advisory module, run by `bokbro periodic`. Idempotent.

Each morning (the first run on a day) every owner of overdue follow-ups gets one e-mail listing
them. The claim is a row in `FollowUpReminder`, unique per agency, owner and day: runs every few
minutes, or two workers at once, still send one mail a day.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.urls import reverse
from django.utils import timezone

from bokbro.accounts.models import User
from bokbro.advisory.models import FollowUp
from bokbro.advisory.services import follow_up_reminder_claim
from bokbro.core.audit import audit_log
from bokbro.core.emails import send_email
from bokbro.core.periodic import each
from bokbro.directory.models import Agency


def overdue_reminders_send(*, now: datetime | None = None) -> int:
    """E-mail each owner their overdue follow-ups, at most once a day. Returns mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (
        FollowUp.objects.overdue(today)
        .select_related("owner", "consultation")
        .prefetch_related("consultation__libraries", "consultation__municipalities")
        .order_by("agency_id", "owner_id", "due_date", "pk")
    )
    groups: dict[int, dict[User, list[FollowUp]]] = {}
    for follow_up in overdue:
        owners = groups.setdefault(follow_up.agency_id, {})
        owners.setdefault(follow_up.owner, []).append(follow_up)
    agencies = Agency.objects.in_bulk(groups)
    sent: list[User] = []

    def remind(agency: Agency, owners: dict[User, list[FollowUp]], owner: User) -> None:
        follow_ups = owners[owner]
        if not owner.is_active or not owner.email:
            return
        if not follow_up_reminder_claim(
            agency=agency, owner=owner, today=today, count=len(follow_ups)
        ):
            return
        send_email(
            to=owner.email,
            template="advisory/overdue",
            context={
                "owner": owner,
                "follow_ups": follow_ups,
                "today": today,
                "link": agency.absolute(reverse("advisory:my_follow_ups")),
            },
            language=owner.language or agency.language,
            agency=agency,
        )
        audit_log(
            action="advisory.follow_up.reminded",
            agency=agency,
            data={"owner": owner.pk, "follow_ups": [f.pk for f in follow_ups]},
        )
        sent.append(owner)

    for agency_id, owners in groups.items():
        work = partial(remind, agencies[agency_id], owners)
        each(f"advisory: overdue reminders of agency {agency_id}", list(owners), work)
    return len(sent)


def run(now: datetime | None = None) -> dict[str, int]:
    return {"overdue follow-up reminders sent": overdue_reminders_send(now=now)}
