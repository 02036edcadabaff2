"""How the report pages reach a year's report: only the request's agency's own (its staff, by
`@staff_required`), for a year Bokbro can report on (404 otherwise). Built on
directory/access.py."""

from __future__ import annotations

from django.http import Http404

from bokbro.core.types import StaffRequest
from bokbro.plans.selectors import choose_plan
from bokbro.reports.forms import FIRST_YEAR, LAST_YEAR
from bokbro.reports.report import Report, build_report


def report_for_staff(request: StaffRequest, year: int) -> Report:
    """The request's agency's report for the year, of the plan `?plan=` names if it is the
    agency's (else the plan covering the year)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    agency = request.agency
    return build_report(agency, year, choose_plan(agency, year, request.GET.get("plan")))
