"""The advisory log for the agency's staff: consultations, follow-ups, topics and visit tours.

Every page here is for the agency's own staff (`@staff_required` plus the access helpers);
library managers read their library's consultation summaries on the library profile. Every
change is a service call (services.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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
from bokbro.advisory.access import (
    consultation_for_user,
    follow_up_for_user,
    topic_for_user,
    tour_for_user,
    visit_for_user,
)
from bokbro.advisory.forms import (
    ConsultationFilterForm,
    ConsultationForm,
    FollowUpForm,
    PlannedVisitForm,
    TopicForm,
    TourForm,
    region_libraries,
)
from bokbro.advisory.models import (
    Consultation,
    ConsultationKind,
    FollowUp,
    PlannedVisit,
    Tour,
)
from bokbro.advisory.selectors import (
    consultation_table,
    follow_ups_of,
    topics_with_use,
    tours_with_counts,
)
from bokbro.core import exports, ics
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


def _save_consultation(
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
        saved = _save_consultation(request, form, None)
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
        saved = _save_consultation(request, form, consultation)
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


# --- Follow-ups ---------------------------------------------------------------------------------


@staff_required
@require_POST
def follow_up_add(request: StaffRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_user(request, pk)
    form = FollowUpForm(request.POST, agency=request.agency)
    if form.is_valid():
        try:
            services.follow_up_create(
                actor=request.user,
                agency=request.agency,
                consultation=consultation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up is added."))
    else:
        messages.error(
            request,
            _("The follow-up was not added: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    return redirect("advisory:consultation", consultation.pk)


@staff_required
@require_POST
def follow_up_done(request: StaffRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_user(request, pk)
    done = request.POST.get("done", "1") == "1"
    services.follow_up_set_done(
        actor=request.user, agency=request.agency, follow_up=follow_up, done=done
    )
    if done:
        messages.success(request, _("The follow-up is marked as done."))
    else:
        messages.success(request, _("The follow-up is open again."))
    back = request.POST.get("next", "")
    if back == "mine":
        return redirect("advisory:my_follow_ups")
    return redirect("advisory:consultation", follow_up.consultation_id)


@staff_required
def follow_up_edit(request: StaffRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_user(request, pk)
    agency = request.agency
    instance = FollowUp.objects.get(pk=follow_up.pk)
    form = FollowUpForm(request.POST or None, instance=instance, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(
                actor=request.user, agency=agency, follow_up=follow_up, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("advisory:consultation", follow_up.consultation_id)
    return render(request, "advisory/follow_up_form.html", {"form": form, "follow_up": follow_up})


@staff_required
def my_follow_ups(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    today = timezone.localdate()
    show_done = request.GET.get("show") == "done"
    follow_ups = follow_ups_of(agency=agency, owner_id=request.user.pk, done=show_done)
    return render(
        request,
        "advisory/my_follow_ups.html",
        {"follow_ups": follow_ups, "today": today, "show_done": show_done},
    )


# --- Topics -------------------------------------------------------------------------------------


@staff_required
def topic_list(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    form = TopicForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_create(actor=request.user, agency=agency, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The topic is added."))
            return redirect("advisory:topics")
    topics = topics_with_use(agency)
    return render(request, "advisory/topic_list.html", {"form": form, "topics": topics})


@staff_required
def topic_edit(request: StaffRequest, pk: int) -> HttpResponse:
    topic = topic_for_user(request, pk)
    initial = {"name": topic.name, "is_active": topic.is_active}
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(
                actor=request.user, agency=request.agency, topic=topic, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("advisory:topics")
    return render(request, "advisory/topic_form.html", {"form": form, "topic": topic})


# --- Visit tours --------------------------------------------------------------------------------


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
        saved = _save_consultation(request, form, None, visit=visit)
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
