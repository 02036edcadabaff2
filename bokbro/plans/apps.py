from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bokbro.plans"
    label = "plans"
    verbose_name = _("Plans and annual report")

    def ready(self) -> None:
        from bokbro.core import audit
        from bokbro.core.files import delete_files_with
        from bokbro.directory.profile import register
        from bokbro.plans.audit import ACTION_LABELS
        from bokbro.plans.dialogue_source import register_source
        from bokbro.plans.models import MunicipalPlan, Plan
        from bokbro.plans.profile import SECTION

        register(SECTION)
        # The annual dialogues count in the follow-up like consultations.
        register_source()
        # The history pages read labels from core's table; the plans codes join it here.
        audit.ACTION_LABELS.update(ACTION_LABELS)
        # A deleted plan's file leaves storage with it (however the row goes).
        delete_files_with(Plan, "document")
        delete_files_with(MunicipalPlan, "document")
