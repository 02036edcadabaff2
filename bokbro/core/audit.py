from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from bokbro.core.models import AuditEntry


def audit_log(
    *,
    action: str,
    actor: Any = None,
    agency: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did what to which object.

    `action` is a dotted code such as `directory.library.updated`."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        agency=agency,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        data=data or {},
    )


# What staff read in histories and the audit log, for each action code services write.
ACTION_LABELS = {
    "accounts.admin.created": _("Administrator created"),
    "accounts.user.erased": _("User deleted their account"),
    "directory.agency.updated": _("Agency details changed"),
    "directory.import.completed": _("Directory imported"),
    "directory.library.created": _("Library added"),
    "directory.library.updated": _("Library changed"),
    "directory.library_role.added": _("Role added"),
    "directory.library_role.removed": _("Role removed"),
    "directory.organisation.created": _("Organisation added"),
    "directory.organisation.updated": _("Organisation changed"),
    "directory.person.created": _("Person added"),
    "directory.person.updated": _("Person changed"),
    "directory.person.deleted": _("Person deleted"),
    "directory.team_member.created": _("Team member added"),
    "directory.team_member.updated": _("Team member changed"),
    "directory.team_member.deleted": _("Team member removed"),
    "events.event.created": _("Event created"),
    "events.event.updated": _("Event changed"),
    "events.event.published": _("Event published"),
    "events.event.cancelled": _("Event cancelled"),
    "events.event.copied": _("Event copied"),
    "events.event.emailed": _("E-mail sent to participants"),
    "events.event.anonymised": _("Participants' personal data deleted"),
    "events.topic.created": _("Topic added"),
    "events.registration.created": _("Registration received"),
    "events.registration.cancelled": _("Registration cancelled"),
    "events.registration.promoted": _("Seat given from the waiting list"),
    "events.registration.offered": _("Seat offered from the waiting list"),
    "events.registration.offer_accepted": _("Offered seat accepted"),
    "events.registration.declined": _("Place declined"),
    "events.registration.offer_expired": _("Seat offer expired"),
    "events.registration.approved": _("Place approved by the library manager"),
    "events.registration.moved_from_waiting_list": _("Moved from the waiting list by staff"),
    "events.attendance.marked": _("Attendance marked"),
    "events.certificates.issued": _("Certificates issued"),
    "events.evaluation.sent": _("Evaluation sent to participants"),
    "events.material.added": _("Material shared with participants"),
    "events.material.removed": _("Material removed"),
    "events.budget_line.created": _("Budget line added"),
    "events.budget_line.updated": _("Budget line changed"),
    "events.budget_line.deleted": _("Budget line deleted"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
