"""The coordinators' and the agency team's pages: the network, its members and requests,
documents, mail to all members, meetings with "invite all members", and the notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.core.exports import csv_response
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import people_visible_to, request_roles, staff_required
from bokbro.directory.models import Agency
from bokbro.networks import selectors, services
from bokbro.networks.access import document_of, membership_of, network_to_manage
from bokbro.networks.forms import DocumentForm, MailForm, MemberForm, NetworkForm
from bokbro.networks.models import Membership, MembershipStatus, Network


def form_page(request: StaffRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "networks/form_page.html", context)


def _other_agencies(agency: Agency) -> Any:
    """The agencies a network can be shared with: the others on this site."""
    return Agency.objects.exclude(pk=agency.pk).order_by("name")


def _manage_url(network: Network) -> str:
    return reverse("networks:manage", args=[network.pk])


@staff_required
def create(request: StaffRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None, other_agencies=_other_agencies(request.agency))
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_save(
                actor=request.user, agency=request.agency, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network is created."))
            return redirect(_manage_url(network))
    return form_page(
        request,
        {
            "form": form,
            "page_title": _("New network"),
            "submit": _("Create"),
            "cancel_url": reverse("networks:index"),
        },
    )


@login_required
def edit(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    own = request_roles(request).is_staff and network.agency_id == request.agency.pk
    form = NetworkForm(
        request.POST or None,
        instance=network,
        other_agencies=_other_agencies(network.agency) if own else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.network_save(
                actor=request.user, agency=network.agency, network=network, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network is saved."))
            return redirect(_manage_url(network))
    return form_page(
        request,
        {
            "form": form,
            "network": network,
            "page_title": _("Change the network"),
            "submit": _("Save"),
            "cancel_url": _manage_url(network),
        },
    )


def _people(request: StaffRequest) -> Any:
    """Whom a coordinator may add: the people of the directory they may see."""
    return people_visible_to(request).order_by("name")


@login_required
def manage(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    memberships = list(network.memberships.for_list())
    return render(
        request,
        "networks/manage.html",
        {
            "network": network,
            "requests": [m for m in memberships if m.status == MembershipStatus.REQUESTED],
            "members": [m for m in memberships if m.status == MembershipStatus.MEMBER],
            "documents": list(network.documents.all()),
            "meetings": list(network.meetings.select_related("event")),
            "member_form": MemberForm(people=_people(request)),
            "document_form": DocumentForm(),
            "is_staff": request_roles(request).is_staff,
        },
    )


@login_required
@require_POST
def decide(request: StaffRequest, pk: int, membership_pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    membership = membership_of(network, membership_pk)
    approve = request.POST.get("decision") == "approve"
    services.membership_decide(
        actor=request.user, agency=network.agency, membership=membership, approve=approve
    )
    if approve:
        messages.success(request, _("%(name)s is a member now.") % {"name": membership.person})
    else:
        messages.success(request, _("The request is declined."))
    return redirect(_manage_url(network))


@login_required
@require_POST
def member_set(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    form = MemberForm(request.POST, people=_people(request))
    if form.is_valid():
        membership = services.member_set(
            actor=request.user,
            agency=network.agency,
            network=network,
            person=form.cleaned_data["person"],
            coordinator=form.cleaned_data["coordinator"],
        )
        messages.success(request, _("%(name)s is a member now.") % {"name": membership.person})
    else:
        messages.error(request, _("Choose a person from the directory."))
    return redirect(_manage_url(network))


@login_required
@require_POST
def member_remove(request: StaffRequest, pk: int, membership_pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    membership: Membership = membership_of(network, membership_pk)
    services.member_remove(actor=request.user, agency=network.agency, membership=membership)
    messages.success(request, _("%(name)s is removed.") % {"name": membership.person})
    return redirect(_manage_url(network))


@login_required
def document_add(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.document_add(
            actor=request.user,
            agency=network.agency,
            network=network,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("The document is stored for the members."))
        return redirect(_manage_url(network))
    return form_page(
        request,
        {
            "form": form,
            "network": network,
            "page_title": _("Add a document"),
            "submit": _("Upload"),
            "cancel_url": _manage_url(network),
            "multipart": True,
        },
    )


@login_required
@require_POST
def document_remove(request: StaffRequest, pk: int, document_pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    item = document_of(network, document_pk)
    services.document_remove(actor=request.user, agency=network.agency, document=item)
    messages.success(request, _("“%(title)s” is removed.") % {"title": item.title})
    return redirect(_manage_url(network))


@login_required
def mail(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    form = MailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = services.network_mail(
            actor=request.user, agency=network.agency, network=network, **form.cleaned_data
        )
        messages.success(
            request,
            ngettext(
                "The e-mail is sent to %(count)s member.",
                "The e-mail is sent to %(count)s members.",
                sent,
            )
            % {"count": sent},
        )
        return redirect(_manage_url(network))
    return form_page(
        request,
        {
            "form": form,
            "network": network,
            "page_title": _("E-mail to all members"),
            "submit": _("Send"),
            "cancel_url": _manage_url(network),
        },
    )


@login_required
def members_csv(request: StaffRequest, pk: int) -> HttpResponse:
    network = network_to_manage(request, pk)
    header = [_("Name"), _("E-mail"), _("Library"), _("Coordinator"), _("Member since")]
    return csv_response(header, selectors.member_rows(network), f"network-{network.pk}.csv")
