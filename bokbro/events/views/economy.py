"""The economy of events: cost and income lines per event with who pays, and the agency's
overview per year (with CSV and XLSX exports) whose figures the annual report uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user
from bokbro.events.forms.economy import BudgetLineForm
from bokbro.events.models import BudgetLine, Event, EventStatus
from bokbro.events.selectors import YearEconomy, economy_for_year, event_totals
from bokbro.events.services import economy as services

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _economy_page(request: StaffRequest, event: Event, form: BudgetLineForm) -> HttpResponse:
    return render(
        request,
        "events/staff/economy.html",
        {
            "event": event,
            "form": form,
            "lines": list(event.budget_lines.order_by("kind", "category", "pk")),
            "totals": event_totals(event),
            "currency": event.currency,
            "year": timezone.localtime(event.starts_at).year,
        },
    )


@staff_required
def economy(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    currency = event.currency
    if request.method != "POST":
        return _economy_page(request, event, BudgetLineForm(currency=currency))
    form = BudgetLineForm(request.POST, currency=currency)
    if form.is_valid():
        try:
            services.budget_line_create(
                actor=request.user,
                agency=request.agency,
                event=event,
                data=form.line_data(),
            )
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, _("The line is added."))
            return redirect("events_staff:economy", event.pk)
    return _economy_page(request, event, form)


def _line(event: Event, line_pk: int) -> BudgetLine:
    return get_object_or_404(BudgetLine, pk=line_pk, event=event)


@staff_required
def budget_line_edit(request: StaffRequest, pk: int, line_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    line = _line(event, line_pk)
    form = BudgetLineForm(request.POST or None, instance=line, currency=event.currency)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(
                actor=request.user,
                agency=request.agency,
                line=_line(event, line_pk),
                data=form.line_data(),
            )
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("events_staff:economy", event.pk)
    return render(
        request,
        "events/staff/economy_line.html",
        {"event": event, "form": form, "line": line},
    )


@staff_required
@require_POST
def budget_line_delete(request: StaffRequest, pk: int, line_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    line = _line(event, line_pk)
    services.budget_line_delete(actor=request.user, agency=request.agency, line=line)
    messages.success(request, _("The line is deleted."))
    return redirect("events_staff:economy", event.pk)


def _year(request: StaffRequest, year: int) -> YearEconomy:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return economy_for_year(request.agency, year)


@staff_required
def economy_year(request: StaffRequest, year: int) -> HttpResponse:
    data = _year(request, year)
    return render(
        request,
        "events/staff/economy_year.html",
        {
            "economy": data,
            "year": year,
            "previous": year - 1 if year > FIRST_YEAR else None,
            "next": year + 1 if year < LAST_YEAR else None,
        },
    )


def _export_rows(data: YearEconomy) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Event"),
        _("Starts"),
        _("Status"),
        _("Costs (%(currency)s)") % {"currency": data.currency},
        _("Income (%(currency)s)") % {"currency": data.currency},
        _("Net (%(currency)s)") % {"currency": data.currency},
    ]
    rows: list[list[Any]] = [
        [
            row.title,
            timezone.localtime(row.starts_at).date(),
            str(EventStatus(row.status).label),
            row.costs,
            row.income,
            row.net,
        ]
        for row in data.events
    ]
    rows.append([_("Total"), "", "", data.totals.costs, data.totals.income, data.totals.net])
    return header, rows


def _filename(request: StaffRequest, year: int, extension: str) -> str:
    return f"economy-{request.agency.slug}-{year}.{extension}"


@staff_required
def economy_year_csv(request: StaffRequest, year: int) -> HttpResponse:
    header, rows = _export_rows(_year(request, year))
    return exports.csv_response(header, rows, _filename(request, year, "csv"))


@staff_required
def economy_year_xlsx(request: StaffRequest, year: int) -> HttpResponse:
    data = _year(request, year)
    header, rows = _export_rows(data)
    payers = exports.Sheet(
        _("Per payer"),
        [
            _("Who pays"),
            _("Costs (%(currency)s)") % {"currency": data.currency},
            _("Income (%(currency)s)") % {"currency": data.currency},
        ],
        [[payer.label, payer.costs, payer.income] for payer in data.totals.payers],
    )
    return exports.xlsx_response(
        [exports.Sheet(str(year), header, rows, bold_last_row=True), payers],
        _filename(request, year, "xlsx"),
    )
