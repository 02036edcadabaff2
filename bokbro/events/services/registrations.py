"""Registering for an event: the rule, and the seat accounting that the later changes of a place
(places.py) and an event's new capacity (events.py) share.

Concurrency (docs/concurrency.md): a registration is one batch of SQL statements that takes the
event's row lock, decides, writes the registration and the counters, and commits
(registration_sql.py, the same on both databases). A cancellation or promotion takes the same
lock (`select_for_update`; on SQLite the transaction is IMMEDIATE). Waiting-list positions are
drawn after the lock is taken, so arrival order is the order the lock was granted.
E-mails are queued after commit, never sent inside the lock; a new registration's e-mail goes
through the outbox (`Registration.notice`, notices.py). CHECK constraints on the counters and a
partial unique index on (event, lower(email)) are the safety net.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.types import Actor
from bokbro.directory.access import roles_for
from bokbro.directory.models import Library
from bokbro.events.models import (
    Event,
    InvitationRole,
    LibraryQuotaUse,
    Registration,
    RegistrationStatus,
    SeatPool,
    Session,
)
from bokbro.events.services import registration_sql, seats, session_seats
from bokbro.events.services.notices import _queue_notices
from bokbro.events.services.registration_sql import UNLIMITED_QUOTA

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RegistrationError(Exception):
    """A registration rule said no; `message` is shown to the user in their language."""

    code = "invalid"

    def __init__(self, message: StrOrPromise, registration: Registration | None = None):
        super().__init__(str(message))
        self.message = message
        self.registration = registration


class RegistrationClosed(RegistrationError):
    code = "closed"


class NotEligible(RegistrationError):
    code = "not_eligible"


class AlreadyRegistered(RegistrationError):
    code = "already_registered"


class EventFull(RegistrationError):
    code = "full"


def _lock(event_id: int) -> Event:
    """The event's row lock (only the event's row: `of=self` leaves the agency unlocked)."""
    return Event.objects.select_for_update(of=("self",)).select_related("agency").get(pk=event_id)


def _quota_use(event: Event, library_id: int) -> LibraryQuotaUse:
    use, _created = LibraryQuotaUse.objects.get_or_create(
        event=event,
        library_id=library_id,
        defaults={"quota": event.quota_per_library or UNLIMITED_QUOTA},
    )
    return use


def _seat_available(event: Event, library: Library | None) -> bool:
    return seats.seat_for(event, library).free


def _take_seat(event: Event, registration: Registration) -> None:
    """Seat the registration: on its group's kept seats while it has one, else on an open one.
    The caller has checked `_seat_available` (or raised the capacity) under the lock."""
    pool = seats.seat_for(event, registration.library).pool
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
    event.seats_taken += 1
    if registration.library_id:
        use = _quota_use(event, registration.library_id)
        LibraryQuotaUse.objects.filter(pk=use.pk).update(taken=F("taken") + 1)
    if pool is not None:
        SeatPool.objects.filter(pk=pool.pk).update(taken=F("taken") + 1)
    registration.seat_pool = pool
    registration.holds_seat = True
    # The elective sessions it chose while it waited give it their seats now (or their
    # waiting lists): session_seats.py.
    session_seats.places_seat(registration)


def _release_seat(event: Event, registration: Registration) -> None:
    if not registration.holds_seat:
        return
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)
    event.seats_taken -= 1
    if registration.library_id:
        LibraryQuotaUse.objects.filter(event=event, library_id=registration.library_id).update(
            taken=F("taken") - 1
        )
    if registration.seat_pool_id:
        SeatPool.objects.filter(pk=registration.seat_pool_id).update(taken=F("taken") - 1)
    registration.seat_pool = None
    registration.holds_seat = False


def _seated_status(event: Event) -> str:
    return (
        RegistrationStatus.PENDING_APPROVAL
        if event.manager_approval
        else RegistrationStatus.CONFIRMED
    )


def check_eligibility(
    *, event: Event, user: Actor | AnonymousUser | None, library: Library | None
) -> None:
    """Invitation-only events: the server decides who may register."""
    role = event.invitation_role
    if role == InvitationRole.NONE:
        return
    if user is None or not user.is_authenticated:
        raise NotEligible(_("Only invited participants can register. Please sign in first."))
    roles = roles_for(user, event.agency)
    if role == InvitationRole.AGENCY_STAFF:
        allowed = roles.is_staff or any(
            roles_for(user, agency).is_staff for agency in event.co_organisers.all()
        )
    elif role == InvitationRole.LIBRARY_MANAGERS:
        allowed = library is not None and library.pk in roles.managed_library_ids
    else:
        allowed = library is not None and library.pk in roles.library_ids
    if not allowed:
        raise NotEligible(_("This event is only for invited participants, and you are not one."))


def _check_open_and_eligible(
    event: Event, *, user: Any, library: Library | None, accepted: bool, now: datetime | None
) -> None:
    """What the form and the API check before the rule runs (the rule checks "open" again)."""
    state = event.registration_state(now)
    if state != "open":
        messages = {
            "not_yet": _("Registration has not opened yet."),
            "closed": _("Registration is closed."),
            "cancelled": _("The event is cancelled."),
            "draft": _("The event is not published."),
        }
        raise RegistrationClosed(messages[state])
    check_eligibility(event=event, user=user, library=library)
    if event.binding_text and not accepted:
        raise RegistrationError(_("You must accept the terms for binding registration."))


def _fill_from_insert(
    registration: Registration, event: Event, inserted: registration_sql.Inserted
) -> None:
    """The unsaved instance becomes the row the batch inserted."""
    registration.pk = inserted.pk
    registration.event = event
    registration.status = inserted.status
    registration.waiting_position = inserted.waiting_position
    registration.holds_seat = inserted.status != RegistrationStatus.WAITING
    registration.seat_pool_id = inserted.seat_pool_id
    registration.created_at = inserted.created_at
    if inserted.status == RegistrationStatus.CONFIRMED:
        registration.confirmed_at = inserted.created_at
    registration.notice = inserted.status
    registration.hold_expires_at = inserted.hold_expires_at
    registration._state.adding = False


def _unverified(registration: Registration, *, verify_email: bool, staff: bool) -> bool:
    """Whether the address was typed by someone not signed in, on the public form or the API
    (`verify_email`), rather than by the person signed in, their manager or the organiser."""
    return (
        verify_email
        and not staff
        and registration.user_id is None
        and registration.registered_by_id is None
    )


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    library: Library | None = None,
    organisation: str = "",
    answers: dict[str, Any] | None = None,
    accepted_binding_terms: bool = False,
    user: Any = None,
    registered_by: Any = None,
    language: str = "nb",
    staff_override: bool = False,
    now: datetime | None = None,
    verify_email: bool = False,
    sessions: Sequence[Session] = (),
) -> Registration:
    """Register one person: a seat if there is one (within the library's quota), else the
    waiting list in arrival order, else `EventFull`.

    `sessions`: the elective sessions the person chose (session_seats.py): with a seat on the
    event, a seat in each (or its waiting list); on the event's waiting list, kept until a
    seat is theirs. Taken in the registration's transaction, after the batch.

    `verify_email`: the address was typed by someone who has not signed in (the public form
    and the API). On an event that asks for it (`confirm_by_email`) the place is then held for
    `hold_hours` until confirmed with the link in the mail (`places.registration_confirm_email`),
    or released by the periodic work (`places.holds_lapse`)."""
    email = email.strip()
    if not staff_override:
        _check_open_and_eligible(
            event, user=user, library=library, accepted=accepted_binding_terms, now=now
        )
    registration = Registration(
        name=name.strip(),
        email=email,
        library=library,
        organisation=organisation.strip(),
        answers=answers or {},
        accepted_binding_terms=accepted_binding_terms,
        user=user if user is not None and user.is_authenticated else None,
        registered_by=registered_by
        if registered_by is not None and registered_by.is_authenticated
        else None,
        language=language,
    )
    actor = registered_by or user
    unverified = _unverified(registration, verify_email=verify_email, staff=staff_override)
    sessions = list(sessions)
    if sessions:
        problem = session_seats.choice_problem(event, sessions)
        if problem is not None:
            raise RegistrationError(problem)
    # With sessions chosen, the batch runs in a savepoint of this transaction, whose event
    # lock then covers the sessions' seats too; without, the batch alone, as fast as ever.
    with transaction.atomic() if sessions else nullcontext():
        registration = _register(
            event,
            registration,
            actor=actor,
            unverified=unverified,
            staff_override=staff_override,
            now=now,
        )
        if sessions:
            # Under the event's lock now: a session removed since the form was read is gone.
            sessions = _sessions_still_there(event, sessions)
            session_seats.places_choose(registration=registration, sessions=sessions)
    return registration


class SessionRemoved(RegistrationError):
    code = "session_removed"


def _sessions_still_there(event: Event, sessions: Sequence[Session]) -> list[Session]:
    """The chosen sessions as they are under the event's lock; a chosen session that was
    removed (or changed so that the choice no longer holds) refuses the registration, and the
    savepoint it raises through takes the registration back out."""
    current = list(Session.objects.filter(pk__in=[s.pk for s in sessions], event_id=event.pk))
    if len(current) != len({s.pk for s in sessions}):
        raise SessionRemoved(session_seats.SESSION_REMOVED)
    problem = session_seats.choice_problem(event, current)
    if problem is not None:
        raise RegistrationError(problem)
    return current


def _register(
    event: Event,
    registration: Registration,
    *,
    actor: Any,
    unverified: bool,
    staff_override: bool,
    now: datetime | None,
) -> Registration:
    """The batch (registration_sql.py), and what its answer means."""
    email = registration.email
    try:
        # The rule itself: one batch of statements, the same on both databases.
        outcome = registration_sql.register(
            event_id=event.pk,
            registration=registration,
            agency_id=event.agency_id,
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            target_repr=str(event),
            check_open=not staff_override,
            now=now or timezone.now(),
            unverified=unverified,
            hold_until=(now or timezone.now()) + timedelta(hours=event.hold_hours),
        )
    except IntegrityError as error:
        # The partial unique index (event, lower(email)) of active registrations refused a
        # second registration of the address (a double click, say); nothing was written.
        existing = event.registrations.active().filter(email__iexact=email).first()
        if existing is None:
            raise
        raise AlreadyRegistered(
            _("This e-mail address is already registered for this event."), existing
        ) from error
    if not outcome.found:
        raise Event.DoesNotExist
    if outcome.inserted is None:
        if not outcome.open:
            raise RegistrationClosed(_("Registration is closed."))
        raise EventFull(_("The event is full."))
    _fill_from_insert(registration, event, outcome.inserted)
    if outcome.queue_notices:
        # The notice is in the outbox (written by the batch); the first registration since
        # the last sending run queues the task that sends them.
        _queue_notices(event.pk)
    return registration
