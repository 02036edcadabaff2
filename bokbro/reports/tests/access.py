"""The reports module's rows of the role matrix (`core/tests/test_access_matrix.py`): the
follow-up and the annual report.

Every page is for the agency's staff and shows the request's agency's own numbers: the
Swedish consultant on his own site gets his agency's (empty) follow-up and report, never the
Norwegian one, and writes his own agency's introductions.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bokbro.core.tests.access_roles import LOGIN, TEAM_GET
from bokbro.reports.models import ReportText

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "reports:followup": TEAM_GET,
    "reports:report": TEAM_GET,
    "reports:report_texts": TEAM_GET,
    "reports:report_pdf": TEAM_GET,
    "reports:report_xlsx": TEAM_GET,
}
# anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
# The outsider at home writes the introductions of his own agency's report.
OWN_AGENCY = (LOGIN, 403, 403, 403, 302, 302, 403, 302)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "reports:report_texts": OWN_AGENCY,
}
READ_ONLY: set[str] = {
    "reports:followup",
    "reports:report",
    "reports:report_pdf",
    "reports:report_xlsx",
}
# A year outside 2000–2100 is not found (the matrix asks for year 9 999 999).
OBJECT_URLS: list[str] = [
    "reports:report",
    "reports:report_texts",
    "reports:report_pdf",
    "reports:report_xlsx",
]


def setup(site: Any) -> dict[str, Any]:
    """The Norwegian course of the matrix's site is tagged with the goal of the plans module's
    rows (set up before these: plans comes first), so the report has something to say."""
    goal = site.extra.get("bokbro.plans.tests.access", {}).get("goal")
    if goal is not None:
        site.event.plan_goals.add(goal)
    return {}


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    if name == "reports:followup":
        return {}
    return {"year": timezone.localdate().year}


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {"section_0": "Et år med mange kurs."}


def database_state() -> dict[str, list[Any]]:
    return {
        "report_texts": list(
            ReportText.objects.order_by("pk").values_list("agency_id", "year", "section", "text")
        )
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    return []
