"""Access to events: the public sees published events of the site's agency (and those it
co-organises); the organiser's and co-organisers' staff manage them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

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
