"""The public pages (the list and a network's page), joining and leaving, and the members' pages:
documents and published meeting notes."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory.tenancy import site_agency
from bokbro.networks import selectors, services
from bokbro.networks.access import (
    can_manage,
    can_see_material,
    document_of,
    network_for_members,
    own_membership,
    public_network,
)
from bokbro.networks.models import MembershipStatus, Network


def index(request: AgencyRequest) -> HttpResponse:
    networks = Network.objects.of_agency(site_agency(request)).with_counts()
    return render(request, "networks/index.html", {"networks": networks})


def detail(request: AgencyRequest, pk: int) -> HttpResponse:
    network = public_network(request, pk)
    membership = own_membership(request, network)
    return render(
        request,
        "networks/detail.html",
        {
            "network": network,
            "membership": membership,
            "is_member": membership is not None and membership.status == MembershipStatus.MEMBER,
            "coordinators": selectors.coordinators(network),
            "next_meeting": selectors.next_meeting(network),
            "libraries": selectors.libraries_taking_part(network),
            "can_see_material": can_see_material(request, network),
            "can_manage": can_manage(request, network),
            "partners": list(network.partner_agencies.order_by("name")),
        },
    )


@login_required
@require_POST
def join(request: StaffRequest, pk: int) -> HttpResponse:
    network = public_network(request, pk)
    try:
        membership = services.network_join(
            actor=request.user, agency=network.agency, network=network
        )
    except ValidationError as error:
        # Nothing changed: the page again, with the reason.
        messages.error(request, " ".join(error.messages))
        return detail(request, pk)
    else:
        if membership.status == MembershipStatus.MEMBER:
            messages.success(request, _("You are a member of %(network)s.") % {"network": network})
        else:
            messages.success(
                request,
                _("Your request is sent; a coordinator of %(network)s will answer it.")
                % {"network": network},
            )
    return redirect(network)


@login_required
@require_POST
def leave(request: StaffRequest, pk: int) -> HttpResponse:
    network = public_network(request, pk)
    membership = own_membership(request, network)
    if membership is None:
        raise Http404
    services.network_leave(actor=request.user, agency=network.agency, membership=membership)
    messages.success(request, _("You have left %(network)s.") % {"network": network})
    return redirect(network)


@login_required
def material(request: AgencyRequest, pk: int) -> HttpResponse:
    network = network_for_members(request, pk)
    return render(
        request,
        "networks/material.html",
        {
            "network": network,
            "documents": list(network.documents.all()),
            "meetings": selectors.published_notes(network),
            "members": selectors.members(network),
            "can_manage": can_manage(request, network),
        },
    )


@login_required
def document(request: AgencyRequest, pk: int, document_pk: int) -> HttpResponseBase:
    network = network_for_members(request, pk)
    item = document_of(network, document_pk)
    try:
        handle = default_storage.open(item.file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=item.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
