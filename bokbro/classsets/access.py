"""Access to class sets. The catalogue is public on the agency's site; a booking is reached by
its personal link (the credential the teacher holds). Bookings for staff: the agency's team sees
all of its agency's; a main library's staff see those delivered to their own library."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bokbro.classsets.models import Booking, BookingQuerySet, ClassSet, QueueEntry, Title
from bokbro.core.types import AgencyRequest
from bokbro.directory.access import request_roles
from bokbro.directory.tenancy import site_agency


def public_title(request: AgencyRequest, pk: int) -> Title:
    """A title of this site's catalogue, or 404."""
    agency = site_agency(request)
    return get_object_or_404(Title.objects.select_related("agency"), pk=pk, agency=agency)


def booking_by_token(request: AgencyRequest, token: str) -> Booking:
    agency = site_agency(request)
    return get_object_or_404(
        Booking.objects.for_list().select_related("agency"), token=token, agency=agency
    )


def queue_entry_by_token(request: AgencyRequest, token: str) -> QueueEntry:
    agency = site_agency(request)
    return get_object_or_404(
        QueueEntry.objects.select_related("title", "booking", "school"),
        token=token,
        agency=agency,
        anonymised=False,
    )


def can_see_bookings(request: AgencyRequest) -> bool:
    roles = request_roles(request)
    return getattr(request, "agency", None) is not None and (
        roles.is_staff or bool(roles.library_ids)
    )


def bookings_for_user(request: AgencyRequest) -> BookingQuerySet:
    """The bookings this user may see and change: 403 for anyone without a role."""
    agency = site_agency(request)
    roles = request_roles(request)
    bookings = Booking.objects.filter(agency=agency).for_list()
    if roles.is_staff:
        return bookings
    if roles.library_ids:
        return bookings.filter(delivery_library__in=roles.library_ids)
    raise PermissionDenied


def booking_for_user(request: AgencyRequest, pk: int) -> Booking:
    if not Booking.objects.filter(pk=pk).exists():
        raise Http404
    booking = bookings_for_user(request).filter(pk=pk).first()
    if booking is None:
        raise PermissionDenied
    return booking


def title_for_staff(request: AgencyRequest, pk: int) -> Title:
    """A title of the agency's catalogue, for its team: 404 if missing, 403 for another's."""
    title = get_object_or_404(Title, pk=pk)
    agency = getattr(request, "agency", None)
    if agency is None or title.agency_id != agency.pk or not request_roles(request).is_staff:
        raise PermissionDenied
    return title


def set_for_staff(request: AgencyRequest, title: Title, pk: int) -> ClassSet:
    return get_object_or_404(ClassSet, pk=pk, title=title)
