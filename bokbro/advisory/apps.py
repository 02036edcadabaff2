from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class AdvisoryConfig(Module):
    name = "bokbro.advisory"
    label = "advisory"
    verbose_name = _("Advice and visits")

    urls = (Mount("advisory/", "urls"),)
    api = None
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = None
    files = ()
    checks = None
