"""What staff read in the history for each action code the class-set services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "classsets.title.created": _("Class-set title added"),
    "classsets.title.updated": _("Class-set title changed"),
    "classsets.catalogue.imported": _("Class-set catalogue imported"),
    "classsets.set.created": _("Class set added"),
    "classsets.set.updated": _("Class set changed"),
    "classsets.settings.updated": _("Class-set rules changed"),
    "classsets.holiday.added": _("Holiday period added"),
    "classsets.holiday.deleted": _("Holiday period removed"),
    "classsets.booking.created": _("Class-set booking made"),
    "classsets.booking.confirmed": _("Class-set booking confirmed"),
    "classsets.booking.cancelled": _("Class-set booking cancelled"),
    "classsets.booking.released": _("Unconfirmed class-set booking released"),
    "classsets.booking.checked_out": _("Class set sent"),
    "classsets.booking.checked_in": _("Class set returned"),
    "classsets.booking.renewed": _("Class-set loan renewed"),
    "classsets.queue.joined": _("Joined the queue for a class set"),
    "classsets.queue.offered": _("Class set offered to the queue"),
    "classsets.queue.left": _("Left the queue for a class set"),
    "classsets.route.created": _("Courier route added"),
    "classsets.route.updated": _("Courier route changed"),
    "classsets.route.deleted": _("Courier route removed"),
}
