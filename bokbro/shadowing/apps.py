from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class ShadowingConfig(Module):
    name = "bokbro.shadowing"
    label = "shadowing"
    verbose_name = _("Job shadowing")

    urls = (Mount("shadowing/", "urls"),)
    api = Mount("/shadowing/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = ()
    checks = None
