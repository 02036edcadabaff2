from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "bokbro.advisory"
    label = "advisory"
    verbose_name = _("Advice and visits")

    def ready(self) -> None:
        from bokbro.advisory.audit import ACTION_LABELS
        from bokbro.advisory.profile import SECTION
        from bokbro.core import audit
        from bokbro.directory.profile import register

        register(SECTION)
        # The history pages read labels from core's table; the advisory codes join it here.
        audit.ACTION_LABELS.update(ACTION_LABELS)
        # The plan follow-up and the annual report read the year's consultations through this.
        from bokbro.advisory.plan_source import register_source

        register_source()
