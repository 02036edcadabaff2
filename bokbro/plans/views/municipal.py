"""The municipal library plan register (KB's rule, kb.py), its exports, and the plans' forms
and files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.plans.access import (
    municipal_plan_for_staff,
)
from bokbro.plans.forms.common import region_municipalities
from bokbro.plans.forms.municipal import MunicipalPlanForm, RegisterFilterForm
from bokbro.plans.kb import counts_of, municipal_plan_overview
from bokbro.plans.models import (
    MunicipalPlan,
)
from bokbro.plans.services import municipal
from bokbro.plans.views.common import file_response, this_year


def _register(request: StaffRequest) -> tuple[RegisterFilterForm, list[Any], list[Any], int]:
    """The filter form, all rows of the chosen year (for the figures) and the filtered rows."""
    agency = site_agency(request)
    form = RegisterFilterForm(request.GET or None, agency=agency)
    year, status, county = this_year(), "", None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        status = form.cleaned_data["status"]
        county = form.cleaned_data["county"]
    rows = municipal_plan_overview(agency, year, county_ids=[county.pk] if county else None)
    shown = rows
    if status == "expires_soon":
        shown = [row for row in rows if row.expires_soon]
    elif status == "period_over":
        shown = [row for row in rows if row.period_over]
    elif status:
        shown = [row for row in rows if row.status == status]
    return form, rows, shown, year


@staff_required
def register(request: StaffRequest) -> HttpResponse:
    form, rows, shown, year = _register(request)
    return render(
        request,
        "plans/register.html",
        {
            "form": form,
            "rows": shown,
            "counts": counts_of(rows, year),
            "year": year,
            "query": request.GET.urlencode(),
        },
    )


def _register_rows(request: StaffRequest) -> tuple[list[str], list[list[Any]], int]:
    _form, _all, shown, year = _register(request)
    header = [
        _("Municipality"),
        pgettext("county or municipality number", "Code"),
        _("County"),
        _("Status"),
        _("Expires soon"),
        _("Period over, still current"),
        _("Plan"),
        _("First year"),
        _("Last year"),
        _("Adopted on"),
        _("Adopted by"),
        _("Covers the school libraries"),
        _("Link"),
        _("Next plan"),
    ]
    yes, no = _("Yes"), _("No")
    rows = []
    for row in shown:
        plan = row.plan
        rows.append(
            [
                row.municipality.name,
                row.municipality.code,
                row.municipality.county.name,
                row.status_label,
                yes if row.expires_soon else no,
                yes if row.period_over else no,
                plan.title if plan else "",
                plan.starts_year if plan else None,
                plan.ends_year if plan else None,
                plan.adopted_on if plan else None,
                plan.adopted_by if plan else "",
                (yes if plan.covers_school_libraries else no) if plan else "",
                plan.url if plan else "",
                f"{row.upcoming.title} ({row.upcoming.starts_year}–{row.upcoming.ends_year or ''})"
                if row.upcoming
                else "",
            ]
        )
    return header, rows, year


@staff_required
def register_csv(request: StaffRequest) -> HttpResponse:
    header, rows, year = _register_rows(request)
    return exports.csv_response(
        header, rows, f"library-plans-{site_agency(request).slug}-{year}.csv"
    )


@staff_required
def register_xlsx(request: StaffRequest) -> HttpResponse:
    header, rows, year = _register_rows(request)
    sheet = exports.Sheet(_("Library plans %(year)s") % {"year": year}, header, rows)
    return exports.xlsx_response([sheet], f"library-plans-{site_agency(request).slug}-{year}.xlsx")


def _municipal_form(request: StaffRequest, plan: MunicipalPlan | None) -> HttpResponse:
    agency = site_agency(request)
    instance = MunicipalPlan.objects.get(pk=plan.pk) if plan else MunicipalPlan(agency=agency)
    initial = {}
    if plan is None and request.GET.get("municipality", "").isdigit():
        municipality = region_municipalities(agency).filter(pk=request.GET["municipality"]).first()
        if municipality is not None:
            initial["municipality"] = municipality.pk
    form = MunicipalPlanForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        agency=agency,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if plan is None:
                municipal.municipal_plan_create(
                    actor=request.user,
                    agency=agency,
                    fields=form.plan_fields(),
                    document=form.document_change(),
                )
                messages.success(request, _("The library plan is registered."))
            else:
                municipal.municipal_plan_update(
                    actor=request.user,
                    agency=agency,
                    plan=plan,
                    fields=form.plan_fields(),
                    document=form.document_change(),
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("plans:register")
    return render(
        request,
        "plans/municipal_plan_form.html",
        {
            "form": form,
            "municipal_plan": plan,
            "page_title": _("Edit the library plan") if plan else _("Register a library plan"),
        },
    )


@staff_required
def municipal_plan_create(request: StaffRequest) -> HttpResponse:
    return _municipal_form(request, None)


@staff_required
def municipal_plan_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _municipal_form(request, municipal_plan_for_staff(request, pk))


@staff_required
@require_POST
def municipal_plan_delete(request: StaffRequest, pk: int) -> HttpResponse:
    plan = municipal_plan_for_staff(request, pk)
    municipal.municipal_plan_delete(actor=request.user, agency=site_agency(request), plan=plan)
    messages.success(
        request,
        _("The library plan of %(municipality)s is deleted.")
        % {"municipality": plan.municipality.name},
    )
    return redirect("plans:register")


@staff_required
def municipal_plan_document(request: StaffRequest, pk: int) -> HttpResponse:
    plan = municipal_plan_for_staff(request, pk)
    return file_response(plan.document, f"library-plan-{plan.municipality.code}", private=True)
