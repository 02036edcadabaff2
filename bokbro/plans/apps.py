from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class PlansConfig(Module):
    name = "bokbro.plans"
    label = "plans"
    verbose_name = _("Plans")

    urls = (Mount("plans/", "urls"),)
    api = None
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = "profile.SECTION"
    home_section = None
    # The annual dialogues count in the follow-up like consultations.
    report_sources = ("dialogue_source.SOURCE",)
    personal_data = None
    files = (Files("Plan", "document"), Files("MunicipalPlan", "document"))
    checks = None
