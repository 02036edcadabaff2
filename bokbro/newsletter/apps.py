from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Files, Module, Mount


class NewsletterConfig(Module):
    name = "bokbro.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    urls = (Mount("newsletter/", "urls"),)
    api = None
    periodic = "periodic.run"
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = "home.SECTION"
    report_sources = ()
    # A user's data export and account deletion include their subscriptions.
    personal_data = "personal.DATA"
    files = (Files("IssueImage", "file"),)
    # A malformed agency relay (BOKBRO_SMTP_<SLUG>) stops every command at start.
    checks = "checks"
