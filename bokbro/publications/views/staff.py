"""The agency team's publications: the list, new, change and delete."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.publications import services
from bokbro.publications.access import publication_for_staff
from bokbro.publications.forms import PublicationForm
from bokbro.publications.models import Publication


@staff_required
def staff_list(request: StaffRequest) -> HttpResponse:
    publications = Publication.objects.of_agency(request.agency).order_by("-year", "title")
    return render(request, "publications/staff/list.html", {"publications": publications})


def _save(request: StaffRequest, publication: Publication | None) -> HttpResponse:
    form = PublicationForm(
        request.POST or None, request.FILES or None, instance=publication, agency=request.agency
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.publication_save(
                actor=request.user,
                agency=request.agency,
                publication=publication,
                data=services.PublicationData.from_values(data),
                plan_goals=data.get("plan_goals"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect(saved)
    return render(
        request,
        "publications/staff/form.html",
        {
            "form": form,
            "publication": publication,
            "page_title": _("Change the publication") if publication else _("New publication"),
        },
    )


@staff_required
def create(request: StaffRequest) -> HttpResponse:
    return _save(request, None)


@staff_required
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _save(request, publication_for_staff(request, pk))


@staff_required
@require_POST
def delete(request: StaffRequest, pk: int) -> HttpResponse:
    publication = publication_for_staff(request, pk)
    services.publication_delete(actor=request.user, agency=request.agency, publication=publication)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": publication.title})
    return redirect(reverse("publications:staff"))
