"""What staff read in a project's history for each action code the services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "projects.project.created": _("Project created"),
    "projects.project.updated": _("Project changed"),
    "projects.project.published": _("Project published"),
    "projects.project.hidden": _("Project taken off the public pages"),
    "projects.partner.added": _("Partner added"),
    "projects.partner.updated": _("Partner changed"),
    "projects.partner.removed": _("Partner removed"),
    "projects.measure.created": _("Measure added"),
    "projects.measure.updated": _("Measure changed"),
    "projects.measure.deleted": _("Measure deleted"),
    "projects.funding.created": _("Funding line added"),
    "projects.funding.updated": _("Funding line changed"),
    "projects.funding.deleted": _("Funding line deleted"),
    "projects.funder.created": _("Funder added"),
    "projects.funder.updated": _("Funder changed"),
    "projects.report.created": _("Status report added"),
    "projects.report.updated": _("Status report changed"),
    "projects.report.submitted": _("Status report submitted"),
    "projects.report.deleted": _("Status report deleted"),
    "projects.report.reminded": _("Reminder of a status report sent"),
    "projects.document.added": _("Document added"),
    "projects.document.removed": _("Document removed"),
}
