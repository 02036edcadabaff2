"""The competence framework (areas with levels in words), competence development plans (areas
prioritised from a mapping's gaps, goals, events tagged with the areas, the follow-up), and an
event's built-in evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.competence import selectors, services
from bokbro.competence.access import staff_object
from bokbro.competence.forms import AreaForm, EvaluationForm, PlanForm
from bokbro.competence.models import CompetenceArea, Plan, PlanArea, Survey
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user
from bokbro.events.models import Event, RegistrationStatus


def _area_page(request: StaffRequest, area: CompetenceArea | None) -> HttpResponse:
    form = AreaForm(request.POST or None, agency=request.agency, area=area)
    if request.method == "POST" and form.is_valid():
        services.area_save(
            actor=request.user,
            agency=request.agency,
            area=form.apply(area or CompetenceArea(agency=request.agency)),
        )
        messages.success(request, _("Saved."))
        return redirect("competence:staff")
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("Edit competence area") if area else _("New competence area"),
            "back": reverse("competence:staff"),
        },
    )


@staff_required
def area_create(request: StaffRequest) -> HttpResponse:
    return _area_page(request, None)


@staff_required
def area_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _area_page(request, staff_object(request, CompetenceArea.objects.all(), pk))


@staff_required
def plan_create(request: StaffRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(
                actor=request.user,
                agency=request.agency,
                plan=form.save(commit=False),
                plan_goals=form.cleaned_data.get("plan_goals"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("competence:plan", plan.pk)
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("New competence development plan"),
            "back": reverse("competence:staff"),
        },
    )


@staff_required
def plan_detail(request: StaffRequest, pk: int) -> HttpResponse:
    plan = staff_object(request, Plan.objects.select_related("mapping"), pk)
    language = (get_language() or "nb")[:2]
    gaps = selectors.gaps(plan.mapping, language) if plan.mapping else []
    chosen = {row.area_id for row in plan.areas.all()}
    areas = list(
        plan.areas.select_related("area")
        .prefetch_related("events")
        .annotate(
            courses=Count("events", distinct=True),
            participants=Count(
                "events__registrations",
                filter=Q(events__registrations__status=RegistrationStatus.CONFIRMED),
                distinct=True,
            ),
            libraries=Count(
                "events__registrations__library",
                filter=Q(events__registrations__status=RegistrationStatus.CONFIRMED),
                distinct=True,
            ),
        )
    )
    next_wave = (
        Survey.objects.filter(previous=plan.mapping).order_by("-created_at").first()
        if plan.mapping
        else None
    )
    later = {g.area.pk: g for g in selectors.gaps(next_wave, language)} if next_wave else {}
    for row in areas:
        change = later.get(row.area_id)
        row.later_have = change.have if change else None  # type: ignore[attr-defined]
    return render(
        request,
        "competence/staff/plan.html",
        {
            "plan": plan,
            "areas": areas,
            "gaps": [gap for gap in gaps if gap.area.pk not in chosen],
            "next_wave": next_wave,
            "events": Event.objects.filter(agency=request.agency).order_by("-starts_at")[:200],
        },
    )


@staff_required
@require_POST
def plan_area_add(request: StaffRequest, pk: int) -> HttpResponse:
    plan = staff_object(request, Plan.objects.all(), pk)
    area = CompetenceArea.objects.filter(
        agency=request.agency, pk=request.POST.get("area") or 0
    ).first()
    if area is None:
        messages.error(request, _("Choose a competence area."))
        return redirect("competence:plan", plan.pk)
    gap = (
        next((g.gap for g in selectors.gaps(plan.mapping, "nb") if g.area.pk == area.pk), None)
        if plan.mapping
        else None
    )
    try:
        services.plan_area_save(
            actor=request.user,
            agency=request.agency,
            plan_area=PlanArea(plan=plan, area=area, gap=gap, priority=plan.areas.count() + 1),
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The area was added to the plan."))
    return redirect("competence:plan", plan.pk)


@staff_required
@require_POST
def plan_area_edit(request: StaffRequest, pk: int) -> HttpResponse:
    plan_area = staff_object(request, PlanArea.objects.select_related("plan"), pk)
    plan_area.goal = request.POST.get("goal", "")
    events = Event.objects.filter(agency=request.agency, pk__in=request.POST.getlist("events"))
    try:
        services.plan_area_save(
            actor=request.user, agency=request.agency, plan_area=plan_area, events=events
        )
    except ValidationError as error:  # a goal too long (the field says how long it may be)
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Saved."))
    return redirect("competence:plan", plan_area.plan_id)


@staff_required
def event_evaluation(request: StaffRequest, pk: int) -> HttpResponse:
    """The event's built-in evaluation: attach one from a template, then its results."""
    event = event_for_user(request, pk, write=True)
    survey = Survey.objects.filter(event=event).first()
    form = EvaluationForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and survey is None and form.is_valid():
        try:
            survey = services.evaluation_attach(
                actor=request.user,
                agency=request.agency,
                event=event,
                template=form.cleaned_data["template"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The evaluation goes to those who attended after the last session."),
            )
            return redirect("competence:event_evaluation", event.pk)
    language = (get_language() or "nb")[:2]
    return render(
        request,
        "competence/staff/event_evaluation.html",
        {
            "event": event,
            "survey": survey,
            "form": form,
            "results": selectors.results(survey, language) if survey else None,
            "min_group": selectors.min_group(),
        },
    )
