"""The newsletter section of the agency's front page: the latest issue in the public archive and
the way to subscribe. Declared as `home_section` in `NewsletterConfig`."""

from __future__ import annotations

from typing import Any

from bokbro.core.home import HomeSection
from bokbro.core.types import AgencyRequest
from bokbro.newsletter.models import Issue, MailingList


def newsletter(request: AgencyRequest) -> dict[str, Any] | None:
    if not MailingList.objects.filter(agency=request.agency, is_public=True).exists():
        return None
    latest = Issue.objects.of(request.agency).archived().order_by("-sent_at").first()
    return {"latest": latest}


SECTION = HomeSection(
    key="newsletter", template="newsletter/_home_section.html", context=newsletter, order=30
)
