from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class MobileConfig(Module):
    name = "bokbro.mobile"
    label = "mobile"
    verbose_name = _("Mobile library")

    urls = (Mount("mobile-library/", "urls"),)
    api = Mount("/mobile-library/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = ()
    checks = None
