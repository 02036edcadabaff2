"""Consultations: the list and its exports, and one consultation logged, read, edited or
deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.advisory import services
from bokbro.advisory.access import consultation_for_user
from bokbro.advisory.forms import (
    ConsultationFilterForm,
    ConsultationForm,
    FollowUpForm,
    region_libraries,
)
from bokbro.advisory.models import Consultation, PlannedVisit
from bokbro.advisory.selectors import consultation_table
from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.core.types import StaffRequest
from bokbro.directory.access import request_roles, staff_required

PAGE_SIZE = 50


# --- The list and its exports -------------------------------------------------------------------


def _filtered(request: StaffRequest) -> tuple[ConsultationFilterForm, Any]:
    agency = request.agency
    form = ConsultationFilterForm(request.GET or None, agency=agency)
    consultations = form.filter(Consultation.objects.of(agency)).for_list()
    return form, consultations.order_by("-date", "-pk")


@staff_required
def consultation_list(request: StaffRequest) -> HttpResponse:
    form, consultations = _filtered(request)
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(
        request,
        "advisory/consultation_list.html",
        {"form": form, "page": page, "query": query, "export_query": query},
    )


def _export_rows(request: StaffRequest) -> tuple[list[str], list[list[Any]]]:
    _form, consultations = _filtered(request)
    return consultation_table(consultations, internal=request_roles(request).is_staff)


def _filename(request: StaffRequest, extension: str) -> str:
    return f"consultations-{request.agency.slug}-{timezone.localdate().isoformat()}.{extension}"


@staff_required
def export_csv(request: StaffRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    return exports.csv_response(header, rows, _filename(request, "csv"))


@staff_required
def export_xlsx(request: StaffRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    sheet = exports.Sheet(_("Consultations"), header, rows)
    return exports.xlsx_response([sheet], _filename(request, "xlsx"))


# --- One consultation ---------------------------------------------------------------------------


def save_consultation(
    request: StaffRequest,
    form: ConsultationForm,
    consultation: Consultation | None,
    visit: PlannedVisit | None = None,
) -> Consultation | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    related = {
        "consultant": data["consultant"],
        "libraries": list(data["libraries"]),
        "municipalities": list(data["municipalities"]),
        "people": list(data["people"]),
        "topics": list(data["topics"]),
        # None when the agency has no plan goals: the consultation's stay as they are.
        "plan_goals": data.get("plan_goals"),
    }
    fields = services.ConsultationData.from_values(data)
    try:
        if consultation is None:
            return services.consultation_create(
                actor=request.user,
                agency=request.agency,
                data=fields,
                visit=visit,
                **related,
            )
        return services.consultation_update(
            actor=request.user,
            agency=request.agency,
            consultation=consultation,
            data=fields,
            **related,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@staff_required
def consultation_create(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    if request.method == "POST":
        form = ConsultationForm(request.POST, agency=agency)
        saved = save_consultation(request, form, None)
        if saved is not None:
            messages.success(request, _("The consultation is logged."))
            return redirect("advisory:consultation", saved.pk)
    else:
        initial: dict[str, Any] = {"date": timezone.localdate(), "consultant": request.user.pk}
        library = region_libraries(agency).filter(pk=request.GET.get("library") or 0).first()
        if library is not None:
            initial["libraries"] = [library.pk]
        form = ConsultationForm(initial=initial, agency=agency)
    return render(request, "advisory/consultation_form.html", {"form": form, "consultation": None})


@staff_required
def consultation_detail(request: StaffRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_user(request, pk)
    consultation = Consultation.objects.for_list().prefetch_related("people").get(pk=pk)
    follow_ups = consultation.follow_ups.select_related("owner")
    form = FollowUpForm(agency=request.agency, initial={"owner": request.user.pk})
    history = AuditEntry.objects.for_target(consultation).for_list()[:30]
    visit = PlannedVisit.objects.select_related("tour").filter(consultation=consultation).first()
    return render(
        request,
        "advisory/consultation_detail.html",
        {
            "consultation": consultation,
            "follow_ups": follow_ups,
            "follow_up_form": form,
            "history": history,
            "visit": visit,
            "today": timezone.localdate(),
        },
    )


@staff_required
def consultation_edit(request: StaffRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_user(request, pk)
    agency = request.agency
    # The form works on its own copy: the service compares the stored row with the new values.
    instance = Consultation.objects.get(pk=consultation.pk)
    if request.method == "POST":
        form = ConsultationForm(request.POST, instance=instance, agency=agency)
        saved = save_consultation(request, form, consultation)
        if saved is not None:
            messages.success(request, _("Your changes are saved."))
            return redirect("advisory:consultation", saved.pk)
    else:
        form = ConsultationForm(instance=instance, agency=agency)
    return render(
        request, "advisory/consultation_form.html", {"form": form, "consultation": consultation}
    )


@staff_required
@require_POST
def consultation_delete(request: StaffRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_user(request, pk)
    services.consultation_delete(
        actor=request.user, agency=request.agency, consultation=consultation
    )
    messages.success(request, _("The consultation is deleted."))
    return redirect("advisory:list")
