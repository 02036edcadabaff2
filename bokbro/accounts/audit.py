"""What staff read in histories and the audit log for this module's action codes."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "accounts.admin.created": _("Administrator created"),
    "accounts.user.erased": _("User deleted their account"),
}
