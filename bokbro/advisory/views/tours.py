"""Visit tours: days of planned visits, the consultant's calendar file, and a visit logged as a
consultation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.advisory import services
from bokbro.advisory.access import tour_for_user, visit_for_user
from bokbro.advisory.forms import ConsultationForm, PlannedVisitForm, TourForm
from bokbro.advisory.models import ConsultationKind, PlannedVisit, Tour
from bokbro.advisory.selectors import tours_with_counts
from bokbro.advisory.views.consultations import save_consultation
from bokbro.core import ics
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


@staff_required
def tour_list(request: StaffRequest) -> HttpResponse:
    tours = tours_with_counts(request.agency)
    return render(request, "advisory/tour_list.html", {"tours": tours})


@staff_required
def tour_create(request: StaffRequest) -> HttpResponse:
    return _tour_form(request, None)


@staff_required
def tour_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _tour_form(request, tour_for_user(request, pk))


def _tour_form(request: StaffRequest, tour: Tour | None) -> HttpResponse:
    agency = request.agency
    initial: dict[str, Any] = {"consultant": request.user.pk}
    if tour is not None:
        initial = {
            "title": tour.title,
            "consultant": tour.consultant_id,
            "starts_on": tour.starts_on,
            "ends_on": tour.ends_on,
            "notes": tour.notes,
        }
    form = TourForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            if tour is None:
                tour = services.tour_create(actor=request.user, agency=agency, **form.cleaned_data)
                messages.success(request, _("The tour is planned. Add the visits."))
            else:
                services.tour_update(
                    actor=request.user, agency=agency, tour=tour, **form.cleaned_data
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("advisory:tour", tour.pk)
    return render(request, "advisory/tour_form.html", {"form": form, "tour": tour})


def _tour_page(request: StaffRequest, tour: Tour, visit_form: PlannedVisitForm) -> HttpResponse:
    visits = tour.visits.select_related("library", "library__municipality", "consultation")
    days: dict[date, list[PlannedVisit]] = {}
    for visit in visits:
        days.setdefault(visit.date, []).append(visit)
    history = AuditEntry.objects.for_target(tour).for_list()[:30]
    return render(
        request,
        "advisory/tour_detail.html",
        {"tour": tour, "days": sorted(days.items()), "visit_form": visit_form, "history": history},
    )


@staff_required
def tour_detail(request: StaffRequest, pk: int) -> HttpResponse:
    tour = tour_for_user(request, pk)
    form = PlannedVisitForm(agency=request.agency, initial={"date": tour.starts_on})
    return _tour_page(request, tour, form)


@staff_required
def tour_ics(request: StaffRequest, pk: int) -> HttpResponse:
    """The tour's visits for the consultant's calendar: timed visits last an hour; a visit
    without a time is a whole-day entry."""
    tour = tour_for_user(request, pk)
    cal = ics.calendar(tour.title)
    zone = timezone.get_current_timezone()
    visits = tour.visits.select_related("library")
    for visit in visits:
        if visit.time is not None:
            start: Any = datetime.combine(visit.date, visit.time, tzinfo=zone)
            end: Any = start + timedelta(hours=1)
        else:
            start, end = visit.date, visit.date + timedelta(days=1)
        library = visit.library
        address = ", ".join(
            part
            for part in (library.street_address, f"{library.postcode} {library.city}".strip())
            if part
        )
        ics.add_event(
            cal,
            uid=f"advisory-visit-{visit.pk}",
            title=library.name,
            starts_at=start,
            ends_at=end,
            description=visit.purpose,
            location=address,
            url=request.build_absolute_uri(tour.get_absolute_url()),
        )
    response = HttpResponse(ics.to_bytes(cal), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tour-{tour.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def visit_add(request: StaffRequest, pk: int) -> HttpResponse:
    tour = tour_for_user(request, pk)
    agency = request.agency
    form = PlannedVisitForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services.visit_add(actor=request.user, agency=agency, tour=tour, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The visit is added to the tour."))
            return redirect("advisory:tour", tour.pk)
    return _tour_page(request, tour, form)


@staff_required
@require_POST
def visit_remove(request: StaffRequest, pk: int, visit_pk: int) -> HttpResponse:
    tour = tour_for_user(request, pk)
    visit = visit_for_user(request, tour, visit_pk)
    try:
        services.visit_remove(actor=request.user, agency=request.agency, visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The visit is removed from the tour."))
    return redirect("advisory:tour", tour.pk)


@staff_required
def visit_done(request: StaffRequest, pk: int, visit_pk: int) -> HttpResponse:
    """A planned visit done: the consultation form, filled in from the visit."""
    tour = tour_for_user(request, pk)
    visit = visit_for_user(request, tour, visit_pk)
    if visit.consultation_id is not None:
        return redirect("advisory:consultation", visit.consultation_id)
    agency = request.agency
    if request.method == "POST":
        form = ConsultationForm(request.POST, agency=agency)
        saved = save_consultation(request, form, None, visit=visit)
        if saved is not None:
            messages.success(request, _("The visit is logged as a consultation."))
            return redirect("advisory:consultation", saved.pk)
    else:
        form = ConsultationForm(
            initial={
                "date": visit.date,
                "kind": ConsultationKind.VISIT,
                "consultant": tour.consultant_id,
                "libraries": [visit.library_id],
                "summary": visit.purpose,
            },
            agency=agency,
        )
    return render(
        request,
        "advisory/consultation_form.html",
        {"form": form, "consultation": None, "visit": visit},
    )
