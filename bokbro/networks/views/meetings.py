"""A network's meetings: a new meeting (an event of kind "network meeting"), inviting every
member in one step, and the notes, published to the members after the meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.networks import services
from bokbro.networks.access import meeting_of, network_to_manage
from bokbro.networks.forms import MeetingForm, NotesForm
from bokbro.networks.views.manage import form_page


@login_required
def meeting_add(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    manage_url = reverse("networks:manage", args=[network.pk])
    form = MeetingForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_create(
                actor=request.user,
                agency=network.agency,
                network=network,
                data=services.MeetingData(**form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is in the calendar."))
            return redirect(manage_url)
    return form_page(
        request,
        {
            "form": form,
            "network": network,
            "page_title": _("New network meeting"),
            "submit": _("Create"),
            "cancel_url": manage_url,
        },
    )


@login_required
@require_POST
def meeting_invite(request: StaffRequest, pk: int, meeting_pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    meeting = meeting_of(network, meeting_pk)
    result = services.meeting_invite_all(actor=request.user, agency=network.agency, meeting=meeting)
    messages.success(request, services.invited_message(result))
    return redirect(reverse("networks:manage", args=[network.pk]))


@login_required
def meeting_notes(request: StaffRequest, pk: int, meeting_pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    meeting = meeting_of(network, meeting_pk)
    manage_url = reverse("networks:manage", args=[network.pk])
    form = NotesForm(
        request.POST or None,
        initial={"notes": meeting.notes, "publish": meeting.notes_published_at is not None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_notes_save(
                actor=request.user,
                agency=network.agency,
                meeting=meeting,
                notes=form.cleaned_data["notes"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The notes are saved."))
            return redirect(manage_url)
    return form_page(
        request,
        {
            "form": form,
            "network": network,
            "page_title": _("Notes from %(meeting)s") % {"meeting": meeting.event.title},
            "submit": _("Save"),
            "cancel_url": manage_url,
        },
    )
