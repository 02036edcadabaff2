from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class EventsConfig(Module):
    name = "bokbro.events"
    label = "events"
    verbose_name = _("Events")

    urls = (Mount("staff/events/", "staff_urls"), Mount("events/", "urls"))
    api = Mount("/events/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = "home.SECTION"
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = (Files("Material", "file"),)
    checks = None
