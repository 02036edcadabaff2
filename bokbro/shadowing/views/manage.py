"""The hosts' pages (a new offer, changing it, its applications) and the agency team's overview:
the exchanges its people and its offers take part in, with the statistics per year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bokbro.competence.models import Survey, SurveyStatus
from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import agency_county_ids, request_roles, staff_required
from bokbro.directory.models import Library
from bokbro.directory.tenancy import site_agency
from bokbro.projects.models import Project
from bokbro.shadowing import selectors, services
from bokbro.shadowing.access import offer_to_host
from bokbro.shadowing.forms import OfferForm
from bokbro.shadowing.models import Offer, Status


def _host_libraries(request: StaffRequest, current: int | None = None) -> Any:
    """The libraries this user may offer places at (and the offer's own, when changing it)."""
    roles = request_roles(request)
    q = Q(pk__in=[*roles.managed_library_ids, *([current] if current else [])])
    if roles.is_staff:
        counties = agency_county_ids(request.agency)
        q |= Q(municipality__county__in=counties) | Q(county__in=counties)
    return Library.objects.filter(q).filter(is_active=True).distinct().order_by("name")


def _projects(request: StaffRequest) -> Any:
    """The agency's projects an offer may belong to: for the agency's team only."""
    if not request_roles(request).is_staff:
        return None
    return Project.objects.filter(agency=request.agency).order_by("title")


def _surveys(request: StaffRequest) -> Any:
    """The agency's competence surveys the reports may be collected with (the team only)."""
    if not request_roles(request).is_staff:
        return None
    return (
        Survey.objects.of(request.agency)
        .filter(is_template=False, event__isnull=True)
        .exclude(status=SurveyStatus.CLOSED)
        .order_by("-created_at")
    )


def _form_page(request: StaffRequest, form: OfferForm, offer: Offer | None) -> HttpResponse:
    return render(
        request,
        "shadowing/offer_form.html",
        {
            "form": form,
            "offer": offer,
            "page_title": _("Change the offer") if offer else _("New job shadowing offer"),
            "submit": _("Save") if offer else _("Publish the offer"),
            "cancel_url": reverse("shadowing:manage", args=[offer.pk])
            if offer
            else reverse("shadowing:index"),
        },
    )


@login_required
def create(request: StaffRequest) -> HttpResponse:
    agency = site_agency(request)
    roles = request_roles(request)
    if not (roles.is_staff or roles.is_library_manager):
        raise PermissionDenied
    form = OfferForm(
        request.POST or None,
        libraries=_host_libraries(request),
        agency_may_host=roles.is_staff,
        projects=_projects(request),
        surveys=_surveys(request),
        initial={"contact_name": request.user.name, "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_save(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offer is published."))
            return redirect("shadowing:manage", pk=offer.pk)
    return _form_page(request, form, None)


@login_required
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    offer = offer_to_host(request, pk)
    roles = request_roles(request)
    form = OfferForm(
        request.POST or None,
        instance=offer,
        libraries=_host_libraries(request, offer.host_library_id),
        agency_may_host=roles.is_staff,
        projects=_projects(request),
        surveys=_surveys(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_save(
                actor=request.user, agency=offer.agency, offer=offer, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect("shadowing:manage", pk=offer.pk)
    return _form_page(request, form, offer)


@login_required
def manage(request: StaffRequest, pk: int) -> HttpResponse:
    offer = offer_to_host(request, pk)
    applications = list(
        offer.applications.exclude(status=Status.WITHDRAWN).for_list().order_by("created_at")
    )
    return render(
        request,
        "shadowing/manage.html",
        {
            "offer": offer,
            "waiting": [a for a in applications if a.status == Status.HOST],
            "accepted": [a for a in applications if a.status == Status.ACCEPTED],
            "with_manager": [a for a in applications if a.status == Status.MANAGER],
            "declined": [a for a in applications if a.status == Status.DECLINED],
        },
    )


@staff_required
def overview(request: StaffRequest) -> HttpResponse:
    return render(request, "shadowing/overview.html", selectors.overview(request.agency))


def _filename(request: StaffRequest, extension: str) -> str:
    today = timezone.localdate().isoformat()
    return f"job-shadowing-{request.agency.slug}-{today}.{extension}"


@staff_required
def export_csv(request: StaffRequest) -> HttpResponse:
    header, rows = selectors.exchange_table(request.agency)
    return exports.csv_response(header, rows, _filename(request, "csv"))


@staff_required
def export_xlsx(request: StaffRequest) -> HttpResponse:
    header, rows = selectors.exchange_table(request.agency)
    sheet = exports.Sheet(_("Job shadowing"), header, rows)
    return exports.xlsx_response([sheet], _filename(request, "xlsx"))
