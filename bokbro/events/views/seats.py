"""Seats kept for groups: the organiser's page (services/seats.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.events.access import event_for_user
from bokbro.events.forms.seats import GroupSeatsUntilForm, SeatPoolForm
from bokbro.events.models import Event, SeatPool
from bokbro.events.services import seat_groups
from bokbro.events.services import seats as services


def _page(
    request: StaffRequest,
    event: Event,
    form: SeatPoolForm,
    until_form: GroupSeatsUntilForm,
    pool: SeatPool | None = None,
) -> HttpResponse:
    return render(
        request,
        "events/staff/seats.html",
        {
            "event": event,
            "form": form,
            "until_form": until_form,
            "editing": pool,
            "pools": list(event.seat_pools.prefetch_related("municipalities", "libraries")),
            "open_left": services.open_seats_left(event),
            "keeps": services.keeps_seats(event),
        },
        status=200 if not form.errors and not until_form.errors else 400,
    )


def _save(request: StaffRequest, event: Event, form: SeatPoolForm, pool: SeatPool | None) -> bool:
    if not form.is_valid():
        return False
    try:
        if pool is None:
            services.seat_pool_create(
                actor=request.user, agency=request.agency, event=event, data=form.pool_data()
            )
        else:
            seat_groups.seat_pool_update(
                actor=request.user, agency=request.agency, pool=pool, data=form.pool_data()
            )
    except services.SeatPoolError as error:
        form.add_error(error.field, error.message)
        return False
    return True


@staff_required
def seats(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    until_form = GroupSeatsUntilForm(instance=event)
    if request.method != "POST":
        return _page(request, event, SeatPoolForm(event=event), until_form)
    form = SeatPoolForm(request.POST, event=event)
    if _save(request, event, form, None):
        messages.success(request, _("The group's seats are kept."))
        return redirect("events_staff:seats", event.pk)
    return _page(request, event, form, until_form)


@staff_required
def seat_pool_edit(request: StaffRequest, pk: int, pool_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    pool = get_object_or_404(SeatPool, pk=pool_pk, event=event)
    until_form = GroupSeatsUntilForm(instance=event)
    if request.method != "POST":
        return _page(request, event, SeatPoolForm(instance=pool, event=event), until_form, pool)
    form = SeatPoolForm(request.POST, instance=SeatPool.objects.get(pk=pool.pk), event=event)
    if _save(request, event, form, pool):
        messages.success(request, _("The group is saved."))
        return redirect("events_staff:seats", event.pk)
    return _page(request, event, form, until_form, pool)


@staff_required
@require_POST
def seat_pool_delete(request: StaffRequest, pk: int, pool_pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    pool = get_object_or_404(SeatPool, pk=pool_pk, event=event)
    seat_groups.seat_pool_delete(actor=request.user, agency=request.agency, pool=pool)
    messages.success(
        request, _("The group is removed; its people keep their seats, its free seats are open.")
    )
    return redirect("events_staff:seats", event.pk)


@staff_required
@require_POST
def group_seats_until(request: StaffRequest, pk: int) -> HttpResponse:
    event = event_for_user(request, pk, write=True)
    until_form = GroupSeatsUntilForm(request.POST, instance=Event.objects.get(pk=event.pk))
    if not until_form.is_valid():
        return _page(request, event, SeatPoolForm(event=event), until_form)
    seat_groups.group_seats_until_set(
        actor=request.user,
        agency=request.agency,
        event=event,
        until=until_form.cleaned_data["group_seats_until"],
    )
    messages.success(request, _("Saved."))
    return redirect("events_staff:seats", event.pk)
