from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "bokbro.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from bokbro.accounts.services import PersonalData, register_personal_data
        from bokbro.core import audit
        from bokbro.newsletter import checks  # noqa: F401  (registers the relay checks)
        from bokbro.newsletter.audit import ACTION_LABELS

        # The history pages read labels from core's table; the newsletter's codes join it here.
        audit.ACTION_LABELS.update(ACTION_LABELS)
        # A user's data export and account deletion include their subscriptions.
        register_personal_data(
            PersonalData(key="newsletter_subscriptions", export=_export, erase=_erase)
        )


def _export(addresses: list[str]) -> list[dict]:
    from bokbro.newsletter.services import subscriber_export

    return [row for address in addresses for row in subscriber_export(email=address)]


def _erase(addresses: list[str]) -> None:
    from bokbro.newsletter.services import subscriber_erase

    for address in addresses:
        subscriber_erase(email=address)
