"""An application and, once accepted, the agreement: dates, contact people, travel support and
the reports after the stay. The manager's consent, the host's answer, withdrawal, travel support
and the reports are posted here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import request_roles
from bokbro.shadowing import services
from bokbro.shadowing.access import (
    application_for_user,
    can_host,
    is_applicant,
    is_applicants_agency,
    may_consent,
)
from bokbro.shadowing.forms import ConsentForm, DecisionForm, ReportForm, TravelForm
from bokbro.shadowing.models import Application, Status


def _page(request: AgencyRequest, application: Application, **forms: Any) -> HttpResponse:
    host = can_host(request, application.offer)
    applicant = is_applicant(request, application)
    waiting = application.status
    survey = application.offer.report_survey
    context = {
        "application": application,
        "offer": application.offer,
        "is_applicant": applicant,
        "is_host": host,
        "is_agency": is_applicants_agency(request, application),
        "managers": services.managers_of(application.library),
        "consent_form": forms.get("consent_form")
        or (
            ConsentForm()
            if waiting == Status.MANAGER and may_consent(request, application)
            else None
        ),
        "decision_form": forms.get("decision_form")
        or (DecisionForm() if waiting == Status.HOST and host else None),
        "travel_form": forms.get("travel_form")
        or (
            TravelForm(initial={"amount": application.travel_support_granted})
            if is_applicants_agency(request, application) and waiting != Status.WITHDRAWN
            else None
        ),
        "may_report": application.status == Status.ACCEPTED and application.stay_has_begun,
        "survey": survey,
        "survey_results": survey is not None
        and request_roles(request).is_staff
        and survey.agency_id == getattr(request.agency, "pk", None),
        "guest_form": forms.get("guest_form")
        or ReportForm(initial={"text": application.guest_report}, prefix="guest"),
        "host_form": forms.get("host_form")
        or ReportForm(initial={"text": application.host_report}, prefix="host"),
    }
    return render(request, "shadowing/application.html", context)


@login_required
def application(request: AgencyRequest, pk: int) -> HttpResponse:
    return _page(request, application_for_user(request, pk))


def _refused(request: AgencyRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def consent(request: StaffRequest, pk: int) -> HttpResponse:
    item = application_for_user(request, pk)
    if not may_consent(request, item):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _page(request, item, consent_form=form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.application_consent(
            actor=request.user,
            application=item,
            approve=approve,
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("You consented; the host is asked.") if approve else _("The applicant is told."),
        )
    return redirect(item)


@login_required
@require_POST
def decide(request: StaffRequest, pk: int) -> HttpResponse:
    item = application_for_user(request, pk)
    if not can_host(request, item.offer):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _page(request, item, decision_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.application_decide(
            actor=request.user,
            application=item,
            accept=accept,
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The guest is accepted and told.") if accept else _("The applicant is told."),
        )
    return redirect(item)


@login_required
@require_POST
def withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    item = application_for_user(request, pk)
    if not is_applicant(request, item):
        raise PermissionDenied
    services.application_withdraw(actor=request.user, application=item)
    messages.success(request, _("Your application is withdrawn."))
    return redirect(item)


@login_required
@require_POST
def travel(request: StaffRequest, pk: int) -> HttpResponse:
    item = application_for_user(request, pk)
    if not is_applicants_agency(request, item):
        raise PermissionDenied
    form = TravelForm(request.POST)
    if not form.is_valid():
        return _page(request, item, travel_form=form)
    try:
        services.travel_support_set(
            actor=request.user,
            agency=request.agency,
            application=item,
            amount=form.cleaned_data["amount"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The travel support is saved."))
    return redirect(item)


@login_required
@require_POST
def report(request: StaffRequest, pk: int) -> HttpResponse:
    item = application_for_user(request, pk)
    as_host = request.POST.get("side") == "host"
    if not (can_host(request, item.offer) if as_host else is_applicant(request, item)):
        raise PermissionDenied
    prefix = "host" if as_host else "guest"
    form = ReportForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _page(request, item, **{f"{prefix}_form": form})
    try:
        services.report_save(
            actor=request.user, application=item, as_host=as_host, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you: your report is saved."))
    return redirect(item)
