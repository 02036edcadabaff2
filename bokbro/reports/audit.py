"""What staff read in histories and the audit log for each action code the reports services
write."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Written with this code since the report was part of plans; the code stays so the entries
    # logged before the move keep their label.
    "plans.report.texts_updated": _("Annual report introductions changed"),
}
