from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class PublicationsConfig(Module):
    name = "bokbro.publications"
    label = "publications"
    verbose_name = _("Publications")

    urls = (Mount("publications/", "urls"),)
    api = None
    periodic = None
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = None
    files = (Files("Publication", "file", "cover"), Files("ArticlePicture", "picture"))
    checks = None
