"""Access to events: the public sees published events of the site's agency (and those it
co-organises); the organiser's and co-organisers' staff manage them. A place awaiting approval
is decided by the manager of the person's library, or by the organisers' staff."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from bokbro.core.ratelimits import Rate, client_address, hits
from bokbro.directory.access import request_roles
from bokbro.events.models import Event, EventStatus, Registration


def event_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Event:
    agency = getattr(request, "agency", None)
    event = get_object_or_404(Event.objects.select_related("agency", "municipality"), pk=pk)
    organisers = {event.agency_id, *event.co_organisers.values_list("pk", flat=True)}
    on_this_site = agency is not None and agency.pk in organisers
    if write:
        if not request.user.is_authenticated:
            raise PermissionDenied
        if not on_this_site or not request_roles(request).is_staff:
            raise PermissionDenied
        return event
    if not on_this_site:
        raise Http404
    if event.status == EventStatus.DRAFT and not request_roles(request).is_staff:
        raise Http404
    return event


def registration_for_token(token: str) -> Registration | None:
    """The registration a personal link points to, or None (wrong, changed or expired link)."""
    if not token or len(token) > 64:
        return None
    return (
        Registration.objects.select_related("event", "event__agency", "library")
        .filter(token=token, anonymised=False)
        .first()
    )


def registration_for_staff(request: HttpRequest, event: Event, pk: int) -> Registration:
    """A registration on an event the user manages (call event_for_user(write=True) first)."""
    return get_object_or_404(Registration.objects.for_list(), pk=pk, event=event)


def registration_to_decide(request: HttpRequest, pk: int) -> Registration:
    """A registration whose approval the user may decide, in whatever status it is now (a page
    can then say it was decided already): one at a library they manage, or, for the team of
    the site's agency, one on an event the agency organises or co-organises. Anything else is
    404, so nobody learns of other libraries' registrations."""
    roles = request_roles(request)
    allowed = Q(library__in=roles.managed_library_ids)
    agency = getattr(request, "agency", None)
    if roles.is_staff and agency is not None:
        events = Event.objects.filter(Q(agency=agency) | Q(co_organisers=agency)).values("pk")
        allowed |= Q(event__in=events)
    return get_object_or_404(
        Registration.objects.select_related("event", "event__agency", "library").filter(
            allowed, anonymised=False
        ),
        pk=pk,
    )


def registration_wait(request: HttpRequest, event_id: int) -> int | None:
    """Count one registration attempt of the request's client (the web form and the API alike):
    None while it is within the limits per client address and per client address and event
    (settings REGISTRATION_RATE_*; docs/operations.md), else the seconds to wait."""
    client = client_address(request)
    return hits(
        [
            (f"registration:{client}", Rate.parse(settings.REGISTRATION_RATE_PER_CLIENT)),
            (
                f"registration:{event_id}:{client}",
                Rate.parse(settings.REGISTRATION_RATE_PER_CLIENT_AND_EVENT),
            ),
        ]
    )
