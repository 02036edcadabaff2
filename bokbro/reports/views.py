"""The follow-up of the plan and the annual report, for the agency's staff.

Every page is the request's agency's own: the numbers are computed from its activities alone,
so staff of another agency see their own agency's follow-up on their own site.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from bokbro.core import exports
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.plans.selectors import choose_plan, plans_for
from bokbro.reports import pdf
from bokbro.reports.access import report_for_staff
from bokbro.reports.followup import follow_up
from bokbro.reports.forms import ReportTextsForm, YearPlanForm
from bokbro.reports.report import report_sheets
from bokbro.reports.services import report_texts_save


@staff_required
def followup(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    # Every plan of the agency is a valid choice; those covering the chosen year come first.
    year = YearPlanForm(request.GET or None, plans=plans_for(agency, 0)).chosen_year()
    plans = plans_for(agency, year)
    form = YearPlanForm(request.GET or None, plans=plans, initial={"year": year})
    plan = choose_plan(agency, year, form.chosen_plan_id())
    data = follow_up(agency, year, plan)
    return render(
        request,
        "reports/followup.html",
        {"form": form, "year": year, "plan": plan, "plans": plans, "followup": data},
    )


@staff_required
def report(request: StaffRequest, year: int) -> HttpResponse:
    built = report_for_staff(request, year)
    return render(
        request,
        "reports/report.html",
        {"report": built, "plans": plans_for(built.agency, year), "year": year},
    )


@staff_required
def report_texts(request: StaffRequest, year: int) -> HttpResponse:
    built = report_for_staff(request, year)
    form = ReportTextsForm(request.POST or None, sections=built.sections, texts=built.texts)
    if request.method == "POST" and form.is_valid():
        report_texts_save(actor=request.user, agency=built.agency, year=year, texts=form.texts())
        messages.success(request, _("The introductions are saved."))
        query = f"?plan={built.plan.pk}" if built.plan else ""
        return redirect(f"{_report_url(year)}{query}")
    return render(
        request, "reports/report_texts.html", {"report": built, "form": form, "year": year}
    )


def _report_url(year: int) -> str:
    from django.urls import reverse

    return reverse("reports:report", args=[year])


@staff_required
def report_pdf(request: StaffRequest, year: int) -> HttpResponse:
    agency = request.agency
    # The report is in the agency's language, whatever the reader's: it goes to the council.
    with translation.override(agency.language):
        built = report_for_staff(request, year)
        content = pdf.report_pdf(built)
    return pdf.pdf_response(content, f"annual-report-{agency.slug}-{year}.pdf")


@staff_required
def report_xlsx(request: StaffRequest, year: int) -> HttpResponse:
    agency = request.agency
    with translation.override(agency.language):
        built = report_for_staff(request, year)
        sheets = report_sheets(built)
        return exports.xlsx_response(sheets, f"annual-report-{agency.slug}-{year}.xlsx")
