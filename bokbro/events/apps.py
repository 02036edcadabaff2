from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "bokbro.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from bokbro.directory.profile import register
        from bokbro.events.profile import SECTION

        register(SECTION)
        # The plan follow-up and the annual report read the year's events through this source.
        from bokbro.events.plan_source import register_source

        register_source()
