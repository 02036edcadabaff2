"""What staff read in histories and the audit log for this module's action codes."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "events.event.created": _("Event created"),
    "events.event.updated": _("Event changed"),
    "events.event.published": _("Event published"),
    "events.event.cancelled": _("Event cancelled"),
    "events.event.copied": _("Event copied"),
    "events.event.emailed": _("E-mail sent to participants"),
    "events.event.anonymised": _("Participants' personal data deleted"),
    "events.session.removed": _("Session removed"),
    "events.topic.created": _("Topic added"),
    "events.registration.created": _("Registration received"),
    "events.registration.cancelled": _("Registration cancelled"),
    "events.registration.promoted": _("Seat given from the waiting list"),
    "events.registration.offered": _("Seat offered from the waiting list"),
    "events.registration.offer_accepted": _("Offered seat accepted"),
    "events.registration.declined": _("Place not approved"),
    "events.registration.offer_declined": _("Offered seat declined"),
    "events.registration.offer_expired": _("Seat offer expired"),
    "events.registration.approved": _("Place approved"),
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
