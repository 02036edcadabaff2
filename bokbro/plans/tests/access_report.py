"""Role-matrix rows for the follow-up and the annual report.

Every page is for the agency's staff and shows the request's agency's own numbers: the
Swedish consultant on his own site gets his agency's (empty) follow-up and report, never the
Norwegian one, and writes his own agency's introductions.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bokbro.core.tests.access_roles import LOGIN, TEAM_GET
from bokbro.plans.models import ReportText

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "plans:followup": TEAM_GET,
    "plans:report": TEAM_GET,
    "plans:report_texts": TEAM_GET,
    "plans:report_pdf": TEAM_GET,
    "plans:report_xlsx": TEAM_GET,
}
# anonymous, public, staff, manager, consultant, admin, outsider, outsider at home
# The outsider at home writes the introductions of his own agency's report.
OWN_AGENCY = (LOGIN, 403, 403, 403, 302, 302, 403, 302)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "plans:report_texts": OWN_AGENCY,
}
READ_ONLY: set[str] = {
    "plans:followup",
    "plans:report",
    "plans:report_pdf",
    "plans:report_xlsx",
}
# A year outside 2000–2100 is not found (the matrix asks for year 9 999 999).
OBJECT_URLS: list[str] = [
    "plans:report",
    "plans:report_texts",
    "plans:report_pdf",
    "plans:report_xlsx",
]


def setup(site: Any, plan_objects: dict[str, Any]) -> dict[str, Any]:
    """The Norwegian course of the matrix's site is tagged with the plan's goal, so the report
    has something to say."""
    goal = plan_objects.get("goal")
    if goal is not None:
        site.event.plan_goals.add(goal)
    return {}


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    if name == "plans:followup":
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
