"""The offers (the list and an offer's page), applying, and "my job shadowing": one's own
applications, those waiting for one's consent as a manager, and the offers one hosts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import request_roles
from bokbro.directory.tenancy import site_agency
from bokbro.projects.models import Project
from bokbro.shadowing import selectors, services
from bokbro.shadowing.access import can_host, own_person, public_offer
from bokbro.shadowing.forms import ApplicationForm, libraries_of
from bokbro.shadowing.models import Application, Offer, Status


def index(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    roles = request_roles(request)
    return render(
        request,
        "shadowing/index.html",
        {
            "offers": selectors.open_offers(agency),
            "may_offer": roles.is_staff or roles.is_library_manager,
        },
    )


def _detail(
    request: AgencyRequest, offer: Offer, form: ApplicationForm | None = None
) -> HttpResponse:
    person = own_person(request)
    application = Application.objects.filter(offer=offer, person=person).first() if person else None
    libraries = libraries_of(person) if person else None
    may_apply = (
        application is None
        and libraries is not None
        and libraries.exists()
        and not offer.is_full
        and not offer.is_past_deadline
    )
    if may_apply and form is None:
        form = ApplicationForm(libraries=libraries)
    context: dict[str, Any] = {
        "offer": offer,
        "application": application,
        "form": form if may_apply or form is not None else None,
        "in_directory": bool(libraries is not None and libraries.exists()),
        "can_host": can_host(request, offer),
        # The project the scheme belongs to, when the public may see it on this site.
        "project": Project.objects.published_on(site_agency(request))
        .filter(pk=offer.project_id)
        .first()
        if offer.project_id
        else None,
    }
    return render(request, "shadowing/detail.html", context)


def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    return _detail(request, public_offer(request, pk))


@login_required
@require_POST
def apply(request: StaffRequest, pk: int) -> HttpResponse:
    offer = public_offer(request, pk)
    person = own_person(request)
    if person is None or not libraries_of(person).exists():
        messages.error(
            request,
            _(
                "Job shadowing is for the staff of libraries in the directory. Ask your "
                "library's manager to add you, then apply."
            ),
        )
        return _detail(request, offer)
    form = ApplicationForm(request.POST, libraries=libraries_of(person))
    if form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                agency=site_agency(request),
                offer=offer,
                person=person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if application.status == Status.MANAGER:
                messages.success(
                    request, _("Your application is sent to your manager for consent.")
                )
            else:
                messages.success(request, _("Your application is sent to the host."))
            return redirect(application)
    return _detail(request, offer, form)


@login_required
def mine(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    roles = request_roles(request)
    return render(
        request,
        "shadowing/mine.html",
        {
            "applications": selectors.own_applications(own_person(request)),
            "to_consent": selectors.waiting_for_consent(roles),
            "hosted": selectors.hosted_offers(agency, roles),
        },
    )
