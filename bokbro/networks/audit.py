"""What staff read in the history for each action code the network services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "networks.network.created": _("Network created"),
    "networks.network.updated": _("Network changed"),
    "networks.member.joined": _("Joined a network"),
    "networks.member.requested": _("Asked to join a network"),
    "networks.member.approved": _("Network membership approved"),
    "networks.member.declined": _("Network membership declined"),
    "networks.member.left": _("Left a network"),
    "networks.member.set": _("Network member added or changed"),
    "networks.member.removed": _("Network member removed"),
    "networks.document.added": _("Network document added"),
    "networks.document.removed": _("Network document removed"),
    "networks.mail.sent": _("E-mail sent to a network's members"),
    "networks.meeting.created": _("Network meeting created"),
    "networks.meeting.invited": _("Network members registered for a meeting"),
    "networks.notes.saved": _("Meeting notes saved"),
    "networks.notes.published": _("Meeting notes published"),
}
