"""What staff read in histories for each action code the advisory services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "advisory.topic.created": _("Consultation topic added"),
    "advisory.topic.updated": _("Consultation topic changed"),
    "advisory.consultation.created": _("Consultation logged"),
    "advisory.consultation.updated": _("Consultation changed"),
    "advisory.consultation.deleted": _("Consultation deleted"),
    "advisory.follow_up.created": _("Follow-up added"),
    "advisory.follow_up.updated": _("Follow-up changed"),
    "advisory.follow_up.done": _("Follow-up done"),
    "advisory.follow_up.reopened": _("Follow-up opened again"),
    "advisory.follow_up.reminded": _("Reminder of overdue follow-ups sent"),
    "advisory.tour.created": _("Visit tour planned"),
    "advisory.tour.updated": _("Visit tour changed"),
    "advisory.visit.planned": _("Visit added to the tour"),
    "advisory.visit.removed": _("Visit removed from the tour"),
    "advisory.visit.done": _("Visit logged as a consultation"),
}
