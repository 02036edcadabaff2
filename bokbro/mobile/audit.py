"""What staff read in the audit log for each action code the mobile library's services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "mobile.vehicle.saved": _("Mobile library vehicle saved"),
    "mobile.route.saved": _("Mobile library route saved"),
    "mobile.stop.saved": _("Mobile library stop saved"),
    "mobile.visit.saved": _("Mobile library visit saved"),
    "mobile.visit.deleted": _("Mobile library visit deleted"),
    "mobile.visit.cancelled": _("Mobile library visit cancelled"),
    "mobile.extra.saved": _("Extra mobile library visit saved"),
    "mobile.extra.deleted": _("Extra mobile library visit called off"),
    "mobile.term.saved": _("Mobile library term saved"),
    "mobile.term.copied": _("Mobile library term copied as a draft"),
    "mobile.count.saved": _("Counts at a mobile library stop saved"),
    "mobile.pause_kinds.saved": _("Stop types paused in school holidays saved"),
    "mobile.holiday.saved": _("School holiday saved"),
    "mobile.holiday.deleted": _("School holiday deleted"),
    "mobile.timetable.imported": _("Mobile library timetable imported"),
}
