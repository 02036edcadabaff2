from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class ReportsConfig(Module):
    name = "bokbro.reports"
    label = "reports"
    verbose_name = _("Annual report")

    # The follow-up and the report keep their addresses under /plans/.
    urls = (Mount("plans/", "urls"),)
    api = None
    periodic = None
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = None
    # The report reads every module's sources (registry.py); it has none of its own.
    report_sources = ()
    personal_data = None
    files = ()
    checks = None
