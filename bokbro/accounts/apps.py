from django.utils.translation import gettext_lazy as _

from bokbro.core.modules import Module, Mount


class AccountsConfig(Module):
    name = "bokbro.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    urls = (Mount("me/", "urls"),)
    api = None
    periodic = None
    demo = "demo.load"
    audit_labels = "audit.ACTION_LABELS"
    profile_section = None
    home_section = None
    report_sources = ()
    personal_data = None
    files = ()
    checks = None
