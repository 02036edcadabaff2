"""The agency's list of funders (name, own or external, minimum shares)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.projects.forms import (
    FunderForm,
)
from bokbro.projects.models import (
    Funder,
)
from bokbro.projects.services import funding as services
from bokbro.projects.views.common import form_page

# --- The agency's funders ----------------------------------------------------------------------


@staff_required
def funders(request: StaffRequest) -> HttpResponse:
    agency = site_agency(request)
    form = FunderForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_create(
                actor=request.user,
                agency=agency,
                fields=services.FunderFields.from_values(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The funder is added."))
            return redirect("projects:funders")
    return render(
        request,
        "projects/staff/funders.html",
        {"form": form, "funders": Funder.objects.filter(agency=agency)},
    )


@staff_required
def funder_edit(request: StaffRequest, pk: int) -> HttpResponse:
    agency = site_agency(request)
    funder = get_object_or_404(Funder, pk=pk, agency=agency)
    form = FunderForm(
        request.POST or None, instance=Funder.objects.get(pk=funder.pk), agency=agency
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_update(
                actor=request.user,
                agency=agency,
                funder=funder,
                fields=services.FunderFields.from_values(form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("projects:funders")
    return form_page(
        request,
        {
            "form": form,
            "page_title": _("Edit %(title)s") % {"title": funder.name},
            "cancel_url": reverse("projects:funders"),
            "submit": _("Save"),
            "funders_page": True,
        },
    )
