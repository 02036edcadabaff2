from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class ProjectsConfig(Module):
    name = "bokbro.projects"
    label = "projects"
    verbose_name = _("Projects")

    urls = (Mount("projects/", "urls"),)
    api = Mount("/projects/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = None
    files = (Files("Document", "file"),)
    checks = None
