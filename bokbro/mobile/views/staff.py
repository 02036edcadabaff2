"""The staff pages: the overview, forms for vehicles, routes, stops, visits and school holidays
(a visit's next 20 dates previewed before saving, one date cancelled with a reason), and the
import and export of the Libraries Hacked CSV schema."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.mobile import importer, recurrence, selectors, services
from bokbro.mobile.access import staff_object
from bokbro.mobile.forms import (
    CancelForm,
    CountForm,
    ExtraVisitForm,
    HolidayForm,
    ImportForm,
    PauseKindsForm,
    RouteForm,
    StopForm,
    VehicleForm,
    VisitForm,
)
from bokbro.mobile.models import ExtraVisit, Route, SchoolHoliday, Stop, Vehicle, Visit
from bokbro.mobile.selectors import school_holidays

PREVIEW_COUNT = 20
# The latest counts shown on a visit's page.
COUNTS_SHOWN = 10


@staff_required
def overview(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    return render(
        request,
        "mobile/staff/overview.html",
        {
            "vehicles": Vehicle.objects.filter(agency=agency).prefetch_related("routes"),
            # How many follow each stop by e-mail (confirmed); the addresses are shown nowhere.
            "stops": Stop.objects.filter(agency=agency)
            .select_related("municipality")
            .annotate(
                follower_count=models.Count(
                    "followers", filter=models.Q(followers__confirmed_at__isnull=False)
                )
            ),
            "holidays": SchoolHoliday.objects.filter(agency=agency),
            "import_form": ImportForm(),
        },
    )


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    form: type[forms.ModelForm]
    save: Callable[..., Any]
    title_new: Any
    title_edit: Any
    needs_agency: bool


KINDS = {
    "vehicles": Kind(
        Vehicle,
        VehicleForm,
        lambda **kw: services.vehicle_save(vehicle=kw.pop("instance"), **kw),
        gettext_lazy("New mobile library"),
        gettext_lazy("Edit mobile library"),
        False,
    ),
    "routes": Kind(
        Route,
        RouteForm,
        lambda **kw: services.route_save(route=kw.pop("instance"), **kw),
        gettext_lazy("New route"),
        gettext_lazy("Edit route"),
        True,
    ),
    "stops": Kind(
        Stop,
        StopForm,
        lambda **kw: services.stop_save(stop=kw.pop("instance"), **kw),
        gettext_lazy("New stop"),
        gettext_lazy("Edit stop"),
        True,
    ),
}


def _edit(request: StaffRequest, kind_name: str, pk: int | None) -> HttpResponse:
    kind = KINDS[kind_name]
    instance = staff_object(request, kind.model._default_manager.all(), pk) if pk else None
    extra: dict[str, Any] = {"agency": request.agency} if kind.needs_agency else {}
    form = kind.form(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            saved = kind.save(actor=request.user, agency=request.agency, instance=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            if isinstance(saved, Route):
                return redirect("mobile:route_edit", saved.pk)
            return redirect("mobile:staff")
    return render(
        request,
        "mobile/staff/form_page.html",
        {
            "form": form,
            "page_title": kind.title_edit if instance else kind.title_new,
            "object": instance,
            "visits": (
                instance.visits.select_related("stop", "term").order_by("arrival", "pk")
                if isinstance(instance, Route)
                else None
            ),
            "extras": (
                instance.extra_visits.filter(date__gte=selectors.today()).select_related("stop")
                if isinstance(instance, Route)
                else None
            ),
        },
    )


@staff_required
def vehicle_create(request: StaffRequest) -> HttpResponse:
    return _edit(request, "vehicles", None)


@staff_required
def vehicle_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit(request, "vehicles", pk)


@staff_required
def route_create(request: StaffRequest) -> HttpResponse:
    return _edit(request, "routes", None)


@staff_required
def route_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit(request, "routes", pk)


@staff_required
def stop_create(request: StaffRequest) -> HttpResponse:
    return _edit(request, "stops", None)


@staff_required
def stop_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit(request, "stops", pk)


def _preview(request: StaffRequest, visit: Visit) -> list[dict[str, Any]]:
    """The visit's next 20 dates from today (or its first visit), each marked when a public
    holiday or (for schools and kindergartens) a school holiday keeps the bus away."""
    start = max(selectors.today(), visit.starts_on)
    found: list[dict[str, Any]] = []
    last = start + timedelta(days=3 * 366)
    off = recurrence.public_holidays(request.agency.country, start, last)
    paused = visit.stop.kind in selectors.pause_kinds(request.agency)
    periods = school_holidays(request.agency) if paused else []
    for day in recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, start, last):
        reason = ""
        if day in off:
            reason = _("public holiday")
        elif recurrence.in_periods(day, periods):
            reason = _("school holiday")
        found.append({"day": day, "skipped": reason})
        if len(found) == PREVIEW_COUNT:
            break
    return found


def _visit_form(request: StaffRequest, route: Route, visit: Visit | None) -> HttpResponse:
    instance = visit or Visit(route=route, agency=request.agency)
    form = VisitForm(request.POST or None, instance=instance, agency=request.agency)
    preview: list[dict[str, Any]] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                services.check_visit(request.agency, form.instance)
                preview = _preview(request, form.instance)
            else:
                services.visit_save(actor=request.user, agency=request.agency, visit=form.instance)
                messages.success(request, _("The visit is saved."))
                return redirect("mobile:route_edit", route.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    context: dict[str, Any] = {
        "form": form,
        "route": route,
        "visit": visit,
        "preview": preview,
        "page_title": _("Edit visit") if visit else _("New visit"),
    }
    if visit is not None:
        context["cancel_form"] = CancelForm()
        context["cancellations"] = visit.cancellations.all()
        context["count_form"] = CountForm(initial={"date": selectors.today()})
        context["counts"] = visit.counts.all()[:COUNTS_SHOWN]
    return render(request, "mobile/staff/visit_form.html", context)


@staff_required
def visit_create(request: StaffRequest, pk: int) -> HttpResponse:
    route = staff_object(request, Route.objects.select_related("vehicle"), pk)
    return _visit_form(request, route, None)


@staff_required
def visit_edit(request: StaffRequest, pk: int) -> HttpResponse:
    visit = staff_object(request, Visit.objects.select_related("route__vehicle", "stop"), pk)
    return _visit_form(request, visit.route, visit)


@staff_required
@require_POST
def visit_delete(request: StaffRequest, pk: int) -> HttpResponse:
    visit = staff_object(request, Visit.objects.select_related("route"), pk)
    route_pk = visit.route_id
    services.visit_delete(actor=request.user, agency=request.agency, visit=visit)
    messages.success(request, _("The visit is deleted."))
    return redirect("mobile:route_edit", route_pk)


@staff_required
def extra_create(request: StaffRequest, pk: int) -> HttpResponse:
    route = staff_object(request, Route.objects.select_related("vehicle"), pk)
    form = ExtraVisitForm(
        request.POST or None,
        instance=ExtraVisit(route=route, agency=request.agency),
        agency=request.agency,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.extra_save(actor=request.user, agency=request.agency, extra=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The extra visit is saved."))
            return redirect("mobile:route_edit", route.pk)
    return render(
        request,
        "mobile/staff/extra_form.html",
        {"form": form, "route": route, "page_title": _("New extra visit")},
    )


@staff_required
@require_POST
def extra_delete(request: StaffRequest, pk: int) -> HttpResponse:
    extra = staff_object(request, ExtraVisit.objects.select_related("route", "stop"), pk)
    route_pk = extra.route_id
    services.extra_delete(actor=request.user, agency=request.agency, extra=extra)
    messages.success(request, _("The extra visit is called off."))
    return redirect("mobile:route_edit", route_pk)


@staff_required
@require_POST
def visit_count(request: StaffRequest, pk: int) -> HttpResponse:
    """Counts at the stop, entered on a phone: a plain form the browser keeps filled in if the
    network drops before the answer."""
    visit = staff_object(request, Visit.objects.select_related("route__vehicle", "stop"), pk)
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            services.count_save(
                actor=request.user,
                agency=request.agency,
                visit=visit,
                day=form.cleaned_data["date"],
                loans=form.cleaned_data["loans"],
                returns=form.cleaned_data["returns"],
                visitors=form.cleaned_data["visitors"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The counts are saved."))
            return redirect("mobile:visit_edit", visit.pk)
    return render(
        request,
        "mobile/staff/visit_form.html",
        {
            "form": VisitForm(instance=visit, agency=request.agency),
            "route": visit.route,
            "visit": visit,
            "cancel_form": CancelForm(),
            "cancellations": visit.cancellations.all(),
            "count_form": form,
            "counts": visit.counts.all()[:COUNTS_SHOWN],
            "page_title": _("Edit visit"),
        },
        status=400,
    )


@staff_required
@require_POST
def visit_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    visit = staff_object(request, Visit.objects.select_related("route__vehicle", "stop"), pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_cancel(
                actor=request.user,
                agency=request.agency,
                visit=visit,
                day=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit is cancelled on that date."))
            return redirect("mobile:visit_edit", visit.pk)
    return render(
        request,
        "mobile/staff/visit_form.html",
        {
            "form": VisitForm(instance=visit, agency=request.agency),
            "route": visit.route,
            "visit": visit,
            "cancel_form": form,
            "cancellations": visit.cancellations.all(),
            "count_form": CountForm(initial={"date": selectors.today()}),
            "counts": visit.counts.all()[:COUNTS_SHOWN],
            "page_title": _("Edit visit"),
        },
        status=400,
    )


@staff_required
def holidays(request: StaffRequest) -> HttpResponse:
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holiday_save(actor=request.user, agency=request.agency, holiday=form.instance)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The school holiday is saved."))
            return redirect("mobile:holidays")
    return render(
        request,
        "mobile/staff/holidays.html",
        {
            "form": form,
            "holidays": SchoolHoliday.objects.filter(agency=request.agency),
            "kinds_form": PauseKindsForm(
                initial={"kinds": sorted(selectors.pause_kinds(request.agency))}
            ),
        },
    )


@staff_required
@require_POST
def pause_kinds(request: StaffRequest) -> HttpResponse:
    form = PauseKindsForm(request.POST)
    if form.is_valid():
        services.pause_kinds_save(
            actor=request.user, agency=request.agency, kinds=form.cleaned_data["kinds"]
        )
        messages.success(request, _("Saved."))
    return redirect("mobile:holidays")


@staff_required
@require_POST
def holiday_delete(request: StaffRequest, pk: int) -> HttpResponse:
    holiday = staff_object(request, SchoolHoliday.objects.all(), pk)
    services.holiday_delete(actor=request.user, agency=request.agency, holiday=holiday)
    messages.success(request, _("The school holiday is deleted."))
    return redirect("mobile:holidays")


@staff_required
def import_file(request: StaffRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[importer.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = importer.import_text(
                actor=request.user, agency=request.agency, text=form.cleaned_data["file"]
            )
        except importer.ImportFailed as failed:
            problems = failed.problems
            form.add_error("file", _("Nothing was imported: the file has errors (below)."))
        else:
            messages.success(
                request,
                _("Rows read: %(rows)s. New visits: %(visits)s. New stops: %(stops)s.")
                % {
                    "rows": result.rows,
                    "visits": result.created.get("visits", 0),
                    "stops": result.created.get("stops", 0),
                },
            )
            for warning in result.warnings:
                messages.warning(request, str(warning))
            return redirect("mobile:staff")
    return render(
        request,
        "mobile/staff/import.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


@staff_required
def export_csv(request: StaffRequest) -> HttpResponse:
    response = HttpResponse(
        importer.export_text(request.agency), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mobile-library.csv"'
    return response
