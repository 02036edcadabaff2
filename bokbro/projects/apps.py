from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "bokbro.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from bokbro.core.audit import ACTION_LABELS
        from bokbro.directory.profile import register
        from bokbro.projects.audit import ACTION_LABELS as PROJECT_LABELS
        from bokbro.projects.profile import SECTION

        register(SECTION)
        # The history's readable names of this module's audit actions.
        ACTION_LABELS.update(PROJECT_LABELS)
        # The plan follow-up and the annual report read the year's projects through this source.
        from bokbro.projects.plan_source import register_source

        register_source()
