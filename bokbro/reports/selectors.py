"""Reads the follow-up and the annual report share."""

from __future__ import annotations

from bokbro.directory.models import Agency, Municipality
from bokbro.reports.models import ReportText


def region_municipalities(agency: Agency) -> list[Municipality]:
    """The municipalities of the agency's counties: the region the report counts as reached or
    not reached."""
    return list(
        Municipality.objects.filter(county__agencies=agency).distinct().order_by("name", "pk")
    )


def report_texts(agency: Agency, year: int) -> dict[str, str]:
    """The introductions written for the year's report: section -> Markdown as written."""
    rows = ReportText.objects.filter(agency=agency, year=year)
    return dict(rows.values_list("section", "text"))
