from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class NetworksConfig(Module):
    name = "bokbro.networks"
    label = "networks"
    verbose_name = _("Networks")

    urls = (Mount("networks/", "urls"),)
    api = None
    periodic = None
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = "home.SECTION"
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = (Files("Document", "file"),)
    checks = None
