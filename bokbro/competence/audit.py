"""What staff read in the audit log for each action code the competence services write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "competence.survey.created": _("Survey created"),
    "competence.survey.updated": _("Survey changed"),
    "competence.survey.opened": _("Survey opened"),
    "competence.survey.closed": _("Survey closed"),
    "competence.survey.copied": _("Survey copied as a new wave"),
    "competence.invitations.created": _("Respondents invited"),
    "competence.invitations.sent": _("Survey links sent"),
    "competence.reminders.sent": _("Survey reminders sent"),
    "competence.response.sent": _("Survey answer sent"),
    "competence.area.created": _("Competence area created"),
    "competence.area.updated": _("Competence area changed"),
    "competence.plan.created": _("Competence development plan created"),
    "competence.plan.updated": _("Competence development plan changed"),
}
