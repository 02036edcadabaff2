from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "shadowing.offer.created": _("Job shadowing offer created"),
    "shadowing.offer.updated": _("Job shadowing offer changed"),
    "shadowing.application.created": _("Applied for job shadowing"),
    "shadowing.application.consented": _("Manager consented to a job shadowing application"),
    "shadowing.application.refused": _("Manager declined a job shadowing application"),
    "shadowing.application.accepted": _("Job shadowing guest accepted"),
    "shadowing.application.declined": _("Job shadowing application declined"),
    "shadowing.application.withdrawn": _("Job shadowing application withdrawn"),
    "shadowing.travel.granted": _("Travel support for job shadowing set"),
    "shadowing.report.saved": _("Job shadowing report saved"),
}
