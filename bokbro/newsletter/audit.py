"""What staff read in histories and the audit log for the newsletter's action codes."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "newsletter.list.created": _("Mailing list created"),
    "newsletter.list.updated": _("Mailing list changed"),
    "newsletter.subscription.requested": _("Subscription requested"),
    "newsletter.subscription.confirmed": _("Subscription confirmed"),
    "newsletter.subscription.cancelled": _("Unsubscribed"),
    "newsletter.subscribers.imported": _("Subscribers imported"),
    "newsletter.issue.created": _("Newsletter issue created"),
    "newsletter.issue.updated": _("Newsletter issue changed"),
    "newsletter.issue.scheduled": _("Newsletter issue scheduled"),
    "newsletter.issue.unscheduled": _("Newsletter issue taken back to draft"),
    "newsletter.issue.sent": _("Newsletter issue sent"),
    "newsletter.issue.tested": _("Test copy sent"),
}
