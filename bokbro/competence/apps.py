from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class CompetenceConfig(Module):
    name = "bokbro.competence"
    label = "competence"
    verbose_name = _("Competence")

    urls = (Mount("competence/", "urls"),)
    api = Mount("/competence/", "api.router")
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = None
    report_sources = ("plan_source.SOURCE",)
    personal_data = "personal.DATA"
    files = ()
    checks = None
    # Not part of the contract: a link on the event's staff page (events/views/staff.py).
    event_staff_links = "event_links.links"
