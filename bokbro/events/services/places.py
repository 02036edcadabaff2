"""What happens to a place once registered: the participant cancels, accepts or declines an
offered seat; a library manager approves or declines; staff move someone from the waiting list,
with an extra seat if need be; offers run out. A freed seat goes to the waiting list
(`_promote`), under the event's row lock like every change of the counters (registrations.py).

A seat given later (a promotion, an accepted offer, staff moving someone) waits for approval on
an event that asks for it, unless the person needs none (`selectors.needs_approval`: a manager's
own place, or one their manager or the deciding organiser registered). Each change tells the
participant what their place now is: "promoted" (a confirmed seat) or "promoted_pending" (a seat
waiting for approval), "approved", "declined" (the approver's no), "offer_declined" (their own
no to an offered seat), "offer_expired", "cancelled".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.periodic import each
from bokbro.core.types import Actor
from bokbro.directory.colleagues import pending_colleague_record
from bokbro.events.models import (
    Event,
    LibraryQuotaUse,
    Promotion,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.events.selectors import needs_approval
from bokbro.events.services import seats, session_seats
from bokbro.events.services.notices import _notify
from bokbro.events.services.registrations import (
    EventFull,
    RegistrationError,
    _lock,
    _quota_use,
    _release_seat,
    _seat_available,
    _seated_status,
    _sessions_still_there,
    _take_seat,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _registration_changed(
    event: Event,
    registration: Registration,
    action: str,
    *,
    notify: str,
    actor: Actor | None = None,
    **data: Any,
) -> None:
    """Log what happened to a registration (`events.registration.<action>`) and tell the
    participant after commit (`notify` names the e-mail)."""
    audit_log(
        action=f"events.registration.{action}",
        actor=actor,
        agency=event.agency,
        target=event,
        data={"registration_id": registration.pk, **data},
    )
    _notify(registration.pk, notify)


def _seated_status_for(event: Event, registration: Registration, actor: Actor | None = None) -> str:
    """The status of a seat given to this registration: confirmed, or awaiting approval."""
    status = _seated_status(event)
    if status == RegistrationStatus.PENDING_APPROVAL and not needs_approval(
        event=event,
        library=registration.library,
        email=registration.email,
        by=(registration.user, registration.registered_by, actor),
    ):
        return RegistrationStatus.CONFIRMED
    return status


def _seated_kind(registration: Registration) -> str:
    """The e-mail about a seat given from the waiting list."""
    if registration.status == RegistrationStatus.PENDING_APPROVAL:
        return "promoted_pending"
    return "promoted"


def _promote(event: Event) -> list[int]:
    """Give freed seats to the first eligible people on the waiting list. Caller holds the lock."""
    promoted: list[int] = []
    skipped: set[int] = set()
    while event.capacity is None or event.seats_taken < event.capacity:
        candidate = None
        for registration in (
            event.registrations.waiting()
            # Someone who has not confirmed their address yet is passed over until they do.
            .filter(hold_expires_at__isnull=True)
            .exclude(pk__in=skipped)
            .select_related("library", "user", "registered_by")
        ):
            if _seat_available(event, registration.library):
                candidate = registration
                break
            skipped.add(registration.pk)
        if candidate is None:
            break
        _take_seat(event, candidate)
        candidate.waiting_position = None
        if event.promotion == Promotion.OFFER:
            candidate.status = RegistrationStatus.OFFERED
            candidate.offer_expires_at = timezone.now() + timedelta(hours=event.offer_hours)
            kind = "offered"
        else:
            candidate.status = _seated_status_for(event, candidate)
            if candidate.status == RegistrationStatus.CONFIRMED:
                candidate.confirmed_at = timezone.now()
            kind = _seated_kind(candidate)
        candidate.save(
            update_fields=[
                "status",
                "holds_seat",
                "seat_pool",
                "waiting_position",
                "offer_expires_at",
                "confirmed_at",
            ]
        )
        _registration_changed(
            event,
            candidate,
            kind,
            notify=kind,
        )
        promoted.append(candidate.pk)
    return promoted


def _end(registration: Registration, event: Event, status: str) -> None:
    _release_seat(event, registration)
    # Its elective sessions' seats go to their waiting lists (session_seats.py).
    session_seats.places_release(registration)
    registration.status = status
    registration.waiting_position = None
    registration.offer_expires_at = None
    registration.hold_expires_at = None
    registration.cancelled_at = timezone.now()
    registration.save(
        update_fields=[
            "status",
            "holds_seat",
            "seat_pool",
            "waiting_position",
            "offer_expires_at",
            "hold_expires_at",
            "cancelled_at",
        ]
    )


@transaction.atomic
def registration_cancel(
    *,
    registration: Registration,
    actor: Actor | None = None,
    by_staff: bool = False,
    now: datetime | None = None,
) -> Registration:
    """The participant (or staff) cancels; a freed seat goes to the waiting list."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        return registration
    now = now or timezone.now()
    if not by_staff and now >= event.ends_at:
        raise RegistrationError(_("The event is over: there is no place left to cancel."))
    if not by_staff and event.cancellation_deadline and now >= event.cancellation_deadline:
        raise RegistrationError(
            _("The cancellation deadline has passed. Contact the organiser to cancel.")
        )
    _end(registration, event, RegistrationStatus.CANCELLED)
    _registration_changed(
        event,
        registration,
        "cancelled",
        notify="cancelled",
        actor=actor,
        by_staff=by_staff,
    )
    _promote(event)
    return registration


def sessions_change_refusal(
    event: Event, registration: Registration, *, now: datetime | None = None
) -> StrOrPromise | None:
    """Why the participant cannot change their elective sessions themselves (None: they can).
    The rules of cancelling, not once the event has begun (the organiser plans the rooms), and
    only where the event has sessions to choose."""
    now = now or timezone.now()
    if not registration.is_active or event.is_cancelled:
        return _("This registration is no longer active, so its sessions cannot be changed.")
    if now >= event.starts_at:
        return _("The event has begun: contact the organiser to change your sessions.")
    if event.cancellation_deadline and now >= event.cancellation_deadline:
        return _(
            "The cancellation deadline has passed. Contact the organiser to change your sessions."
        )
    if not event.sessions.filter(capacity__isnull=False).exists():
        return _("This event has no sessions to choose.")
    return None


@transaction.atomic
def registration_sessions_change(
    *, registration: Registration, sessions: Sequence[Session], now: datetime | None = None
) -> session_seats.Change:
    """The participant changes their elective sessions with their personal link (under the
    event's row lock, as registering does: session_seats.places_change). A session removed
    since the form was read refuses the whole change (`SessionRemoved`), as does a choice the
    event's rules refuse; nothing is changed then. The participant gets their new places by
    e-mail (with the calendar file) after commit; whoever a freed seat went to is told too."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    refusal = sessions_change_refusal(event, registration, now=now)
    if refusal is not None:
        raise RegistrationError(refusal)
    current = _sessions_still_there(event, sessions)
    change = session_seats.places_change(registration=registration, sessions=current)
    if change.added or change.removed:
        audit_log(
            action="events.registration.sessions_changed",
            agency=event.agency,
            target=event,
            data={
                "registration_id": registration.pk,
                "added": change.added,
                "removed": change.removed,
            },
        )
        _notify(registration.pk, "sessions_changed", given_up=change.removed)
    return change


@transaction.atomic
def registration_confirm_email(*, registration: Registration) -> Registration:
    """The person confirms their address with the link in the mail: a held seat becomes their
    place (confirmed, or waiting for approval where the event asks for it); a place in the
    waiting list stays as it is and now counts when a seat frees."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.hold_expires_at is None or not registration.is_active:
        return registration
    if registration.hold_expires_at <= timezone.now():
        raise RegistrationError(_("The time to confirm has run out, and the place is released."))
    registration.hold_expires_at = None
    if registration.library is not None and registration.user_id is None:
        # Now that the address is shown to be theirs, the library they named may list them
        # (its manager confirms: directory/colleagues.py).
        pending_colleague_record(
            library=registration.library, name=registration.name, email=registration.email
        )
    if registration.status == RegistrationStatus.HELD:
        registration.status = _seated_status_for(event, registration)
        if registration.status == RegistrationStatus.CONFIRMED:
            registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "hold_expires_at", "confirmed_at"])
        _registration_changed(event, registration, "email_confirmed", notify=registration.status)
    else:
        registration.save(update_fields=["hold_expires_at"])
        audit_log(
            action="events.registration.email_confirmed",
            agency=event.agency,
            target=event,
            data={"registration_id": registration.pk},
        )
        _promote(event)  # a seat may have freed while they were passed over
        registration.refresh_from_db()
    return registration


def holds_lapse(*, now: datetime | None = None) -> int:
    """Places never confirmed in time are released, and the waiting list moves up (the
    periodic work calls this). No mail: the address was never shown to be the person's."""
    now = now or timezone.now()
    due = list(
        Registration.objects.filter(
            hold_expires_at__lte=now,
            status__in=[RegistrationStatus.HELD, RegistrationStatus.WAITING],
        ).values_list("pk", "event_id")
    )
    lapsed: list[int] = []

    def lapse(item: tuple[int, int]) -> None:
        pk, event_id = item
        event = _lock(event_id)
        registration = Registration.objects.select_for_update().get(pk=pk)
        expires = registration.hold_expires_at
        if expires is None or expires > now or not registration.is_active:
            return
        _end(registration, event, RegistrationStatus.LAPSED)
        audit_log(
            action="events.registration.lapsed",
            agency=event.agency,
            target=event,
            data={"registration_id": registration.pk},
        )
        _promote(event)
        lapsed.append(pk)

    each("events: release unconfirmed places", due, lapse)
    return len(lapsed)


@transaction.atomic
def registration_accept_offer(*, registration: Registration) -> Registration:
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.OFFERED:
        raise RegistrationError(_("There is no open offer on this registration."))
    if registration.offer_expires_at and registration.offer_expires_at <= timezone.now():
        raise RegistrationError(_("The offer has expired."))
    registration.status = _seated_status_for(event, registration)
    registration.offer_expires_at = None
    if registration.status == RegistrationStatus.CONFIRMED:
        registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "offer_expires_at", "confirmed_at"])
    _registration_changed(
        event,
        registration,
        "offer_accepted",
        notify=registration.status,
    )
    return registration


@transaction.atomic
def registration_decline(
    *, registration: Registration, actor: Actor | None = None, reason: str = "declined"
) -> Registration:
    """An offer declined (or expired), or an approver's no: the seat passes on."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (RegistrationStatus.OFFERED, RegistrationStatus.PENDING_APPROVAL):
        return registration
    if registration.status == RegistrationStatus.OFFERED and reason == "declined":
        reason = "offer_declined"  # the participant's own no, not an approver's
    _end(registration, event, RegistrationStatus.DECLINED)
    _registration_changed(
        event,
        registration,
        reason,
        notify=reason,
        actor=actor,
    )
    _promote(event)
    return registration


@transaction.atomic
def registration_approve(*, registration: Registration, actor: Actor) -> Registration:
    """The library manager (or the organiser's staff) confirms a place awaiting approval."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING_APPROVAL:
        return registration
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    _registration_changed(
        event,
        registration,
        "approved",
        notify="approved",
        actor=actor,
    )
    return registration


@transaction.atomic
def registration_move_from_waiting_list(
    *, registration: Registration, actor: Actor
) -> Registration:
    """Staff give a waiting person a free seat out of turn (awaiting approval where the event
    asks for it)."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITING:
        return registration
    if not _seat_available(event, registration.library):
        raise EventFull(
            _("There is no free seat (or the library's quota is full). Raise the capacity first.")
        )
    _take_seat(event, registration)
    _seat_from_waiting_list(event, registration, actor)
    _registration_changed(
        event,
        registration,
        "moved_from_waiting_list",
        notify=_seated_kind(registration),
        actor=actor,
    )
    return registration


def _seat_from_waiting_list(event: Event, registration: Registration, actor: Actor) -> None:
    registration.status = _seated_status_for(event, registration, actor)
    if registration.status == RegistrationStatus.CONFIRMED:
        registration.confirmed_at = timezone.now()
    registration.waiting_position = None
    registration.save(
        update_fields=["status", "holds_seat", "seat_pool", "waiting_position", "confirmed_at"]
    )


def offers_expire(*, now: datetime | None = None) -> int:
    """Pass on the seats whose offers ran out (a periodic command calls this)."""
    now = now or timezone.now()
    expired = Registration.objects.filter(
        status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(expired):
        registration = Registration.objects.get(pk=pk)
        if registration_decline(registration=registration, reason="offer_expired").status == (
            RegistrationStatus.DECLINED
        ):
            count += 1
    return count


@transaction.atomic
def registration_give_extra_seat(*, registration: Registration, actor: Actor) -> Registration:
    """Staff seat a waiting person although the event (or their library's quota) is full: the
    capacity, and the library's quota on this event, grow by one where they are full."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITING:
        return registration
    raised = []
    if event.capacity is not None and not seats.seat_in_capacity(event, registration.library).free:
        # Full, or every free seat is kept for a group the person is not in.
        kept = seats.reserved(event) if seats.keeps_seats(event) else 0
        capacity = max(event.capacity, event.seats_taken + kept) + 1
        Event.objects.filter(pk=event.pk).update(capacity=capacity)
        event.capacity = capacity
        raised.append("capacity")
    if event.quota_per_library and registration.library_id is not None:
        use = _quota_use(event, registration.library_id)
        if use.taken >= event.quota_per_library:
            LibraryQuotaUse.objects.filter(pk=use.pk).update(quota=F("taken") + 1)
            raised.append("quota")
    _take_seat(event, registration)
    _seat_from_waiting_list(event, registration, actor)
    _registration_changed(
        event,
        registration,
        "moved_from_waiting_list",
        notify=_seated_kind(registration),
        actor=actor,
        raised=raised,
    )
    return registration
