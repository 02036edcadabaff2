from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class ClassSetsConfig(Module):
    name = "bokbro.classsets"
    label = "classsets"
    verbose_name = _("Class sets")

    urls = (Mount("class-sets/", "urls"),)
    api = Mount("/class-sets/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = (Files("Title", "cover"),)
    checks = None
