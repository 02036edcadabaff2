"""Material for participants — the "online learning arena": staff share files and links per
event and session; confirmed participants reach them from their personal link and the event
page. Files are served only through views that check access, never from a public media URL."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user, registration_for_token
from bokbro.events.forms.material import MaterialForm
from bokbro.events.models import Event, Material, MaterialKind, RegistrationStatus
from bokbro.events.services import material as services


def _material_page(request: StaffRequest, event: Event, form: MaterialForm) -> HttpResponse:
    return render(
        request,
        "events/material/staff.html",
        {
            "event": event,
            "form": form,
            "material_list": list(event.material.for_list()),
            "confirmed": event.registrations.filter(
                status=RegistrationStatus.CONFIRMED, anonymised=False
            ).count(),
        },
    )


@staff_required
def material(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    if request.method != "POST":
        return _material_page(request, event, MaterialForm(event=event))
    form = MaterialForm(request.POST, request.FILES, event=event)
    if not form.is_valid():
        return _material_page(request, event, form)
    data = form.cleaned_data
    services.material_add(
        actor=request.user,
        agency=request.agency,
        event=event,
        title=data["title"],
        kind=data["kind"],
        file=data["file"],
        url=data["url"],
        description=data["description"],
        session=data["session"],
        tell_participants=data["tell_participants"],
    )
    messages.success(request, _("The material is shared with the confirmed participants."))
    return redirect("events_staff:material", event.pk)


def _material_for_staff(event: Event, material_pk: int) -> Material:
    return get_object_or_404(Material, pk=material_pk, event=event)


@staff_required
@require_POST
def material_remove(request: StaffRequest, pk: int, material_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    item = _material_for_staff(event, material_pk)
    services.material_remove(actor=request.user, agency=request.agency, material=item)
    messages.success(request, _("“%(title)s” is removed.") % {"title": item.title})
    return redirect("events_staff:material", event.pk)


def file_response(item: Material) -> FileResponse:
    if item.kind != MaterialKind.FILE or not item.file:
        raise Http404
    try:
        handle = default_storage.open(str(item.file.name), "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=item.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def material_download(request: StaffRequest, pk: int, material_pk: int) -> HttpResponseBase:
    event = event_for_user(request, pk, write=True)
    return file_response(_material_for_staff(event, material_pk))


def participant_download(request: AgencyRequest, token: str, material_pk: int) -> HttpResponseBase:
    registration = registration_for_token(token)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    item = get_object_or_404(Material, pk=material_pk, event_id=registration.event_id)
    return file_response(item)
