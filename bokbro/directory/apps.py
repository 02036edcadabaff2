from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class DirectoryConfig(Module):
    name = "bokbro.directory"
    label = "directory"
    verbose_name = _("Directory")

    # The agency's own pages (its team, its settings, the audit log) and the directory.
    urls = (Mount("", "agency_urls"), Mount("directory/", "urls"))
    api = Mount("/directory/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = "home.SECTION"
    report_sources = ()
    personal_data = None
    files = (Files("Agency", "logo"),)
    checks = None
