"""Access to job shadowing. Everything is looked up on the site's agency (another site: 404).

- Offers: the site's agency's own, and other agencies' offers open to its libraries: everyone.
- Hosting (changing the offer, answering its applications): the agency's team of the offer's
  agency (on its own site) and the manager of the host library.
- An application and its agreement: the applicant, the manager of the applicant's library (who
  consents; where the directory lists none, the applicant's agency's team does), the host, and
  the agency's team of the applicant's agency (each agency sees its own people's exchanges and
  the guests of its own offers) — never anyone else (403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bokbro.core.types import AgencyRequest
from bokbro.directory.access import request_roles
from bokbro.directory.models import LibraryRoleKind, Person
from bokbro.directory.tenancy import site_agency
from bokbro.shadowing.models import Application, Offer


def public_offer(request: AgencyRequest, pk: int) -> Offer:
    return get_object_or_404(Offer.objects.visible_on(site_agency(request)).for_list(), pk=pk)


def own_person(request: AgencyRequest) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user=request.user).first()


def can_host(request: AgencyRequest, offer: Offer) -> bool:
    roles = request_roles(request)
    if roles.is_staff and offer.agency_id == getattr(request.agency, "pk", None):
        return True
    return offer.host_library_id is not None and offer.host_library_id in roles.managed_library_ids


def offer_to_host(request: AgencyRequest, pk: int) -> Offer:
    offer = public_offer(request, pk)
    if not can_host(request, offer):
        raise PermissionDenied
    return offer


def is_applicant(request: AgencyRequest, application: Application) -> bool:
    person = application.person
    return (
        request.user.is_authenticated
        and person is not None
        and person.user_id is not None
        and person.user_id == request.user.pk
    )


def is_applicants_manager(request: AgencyRequest, application: Application) -> bool:
    return application.library_id in request_roles(request).managed_library_ids


def is_applicants_agency(request: AgencyRequest, application: Application) -> bool:
    roles = request_roles(request)
    return roles.is_staff and application.applicant_agency_id == getattr(request.agency, "pk", None)


def may_consent(request: AgencyRequest, application: Application) -> bool:
    """The manager of the applicant's library; where the directory lists no manager there, the
    team of the applicant's agency."""
    if is_applicants_manager(request, application):
        return True
    return (
        is_applicants_agency(request, application)
        and not application.library.roles.filter(role=LibraryRoleKind.MANAGER).exists()
    )


def application_for_user(request: AgencyRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.of_agency(site_agency(request)).for_list(), pk=pk
    )
    if not (
        is_applicant(request, application)
        or is_applicants_manager(request, application)
        or can_host(request, application.offer)
        or is_applicants_agency(request, application)
    ):
        raise PermissionDenied
    return application
