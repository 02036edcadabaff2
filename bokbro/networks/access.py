"""Access to networks. Everything is looked up on the site's agency (another site: 404).

- The public page (purpose, contact, next meeting, the libraries taking part): everyone.
- Members-only material (documents, meeting notes, the member list with names): the network's
  members, its coordinators and the agency's team — never anyone else, through any view or
  export (403).
- Managing (members, requests, documents, mail, meetings): the agency's team and the network's
  coordinators.

A network shared with other agencies (`partner_agencies`) is found on their sites as on its own
agency's, and their teams have the same rights there as the owning agency's team."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest
from bokbro.directory.access import request_roles
from bokbro.directory.tenancy import site_agency
from bokbro.networks.models import Document, Meeting, Membership, MembershipStatus, Network


def public_network(request: AgencyRequest, pk: int) -> Network:
    """A network of the site's agency, or one another agency shares with it."""
    return get_object_or_404(
        Network.objects.of_agency(site_agency(request)).select_related("agency"), pk=pk
    )


def own_membership(request: AgencyRequest, network: Network) -> Membership | None:
    """The signed-in user's membership (or request to join), if any."""
    if not request.user.is_authenticated:
        return None
    return (
        Membership.objects.filter(network=network, person__user=request.user)
        .select_related("person")
        .first()
    )


def can_manage(request: AgencyRequest, network: Network) -> bool:
    if request_roles(request).is_staff:
        return True
    membership = own_membership(request, network)
    return membership is not None and membership.is_coordinator


def can_see_material(request: AgencyRequest, network: Network) -> bool:
    if request_roles(request).is_staff:
        return True
    membership = own_membership(request, network)
    return membership is not None and membership.status == MembershipStatus.MEMBER


def network_for_members(request: AgencyRequest, pk: int) -> Network:
    network = public_network(request, pk)
    if not can_see_material(request, network):
        raise PermissionDenied
    return network


def network_to_manage(request: AgencyRequest, pk: int) -> Network:
    network = public_network(request, pk)
    if not can_manage(request, network):
        raise PermissionDenied
    return network


def document_of(network: Network, pk: int) -> Document:
    return get_object_or_404(Document, pk=pk, network=network)


def membership_of(network: Network, pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("person"), pk=pk, network=network)


def meeting_of(network: Network, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("event", "network"), pk=pk, network=network
    )
