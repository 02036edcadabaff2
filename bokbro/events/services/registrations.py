"""Registering for an event: the rule, and the seat accounting that the later changes of a place
(places.py) and an event's new capacity (events.py) share.

Concurrency (docs/concurrency.md): a registration, cancellation or promotion takes the event's
row lock (`select_for_update`; on SQLite the transaction is IMMEDIATE), reads the counters,
writes the registration and the counters, and commits — a few milliseconds. Waiting-list
positions are drawn after the lock is taken, so arrival order is the order the lock was granted.
E-mails are queued after commit, never sent inside the lock; a new registration's e-mail goes
through the outbox (`Registration.notice`, notices.py). CHECK constraints on the counters and a
partial unique index on (event, lower(email)) are the safety net.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.access import roles_for
from bokbro.directory.models import Library
from bokbro.events.models import (
    Event,
    InvitationRole,
    LibraryQuotaUse,
    Registration,
    RegistrationStatus,
)
from bokbro.events.services.notices import _mark_notices_queued, _queue_notices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

UNLIMITED_QUOTA = 2**31 - 1


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


# What a registration decides on; a narrow row keeps the locked section short.
REGISTRATION_FIELDS = (
    "agency_id",
    "status",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "seats_taken",
    "waiting_counter",
    "waiting_list",
    "quota_per_library",
    "manager_approval",
)


def _lock_for_registration(event_id: int) -> Event:
    return Event.objects.select_for_update().only(*REGISTRATION_FIELDS).get(pk=event_id)


def _quota_use(event: Event, library_id: int) -> LibraryQuotaUse:
    use, _created = LibraryQuotaUse.objects.get_or_create(
        event=event,
        library_id=library_id,
        defaults={"quota": event.quota_per_library or UNLIMITED_QUOTA},
    )
    return use


def _seat_available(event: Event, library: Library | None) -> bool:
    if event.capacity is not None and event.seats_taken >= event.capacity:
        return False
    if event.quota_per_library and library is not None:
        use = LibraryQuotaUse.objects.filter(event=event, library=library).first()
        if use is not None and use.taken >= event.quota_per_library:
            return False
    return True


def _take_seat(event: Event, registration: Registration) -> None:
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + 1)
    event.seats_taken += 1
    if registration.library_id:
        use = _quota_use(event, registration.library_id)
        LibraryQuotaUse.objects.filter(pk=use.pk).update(taken=F("taken") + 1)
    registration.holds_seat = True


def _release_seat(event: Event, registration: Registration) -> None:
    if not registration.holds_seat:
        return
    Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - 1)
    event.seats_taken -= 1
    if registration.library_id:
        LibraryQuotaUse.objects.filter(event=event, library_id=registration.library_id).update(
            taken=F("taken") - 1
        )
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
) -> Registration:
    """Register one person: a seat if there is one (within the library's quota), else the
    waiting list in arrival order, else `EventFull`."""
    email = email.strip()
    if not staff_override:
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
        if event.binding_text and not accepted_binding_terms:
            raise RegistrationError(_("You must accept the terms for binding registration."))
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
    if connection.vendor == "postgresql":
        return _registration_create_postgresql(
            event, registration, staff_override=staff_override, now=now, actor=registered_by or user
        )
    try:
        with transaction.atomic():
            # The locked section: a handful of statements, no e-mail, no rendering.
            locked = _lock_for_registration(event.pk)
            if not staff_override and locked.registration_state(now) != "open":
                raise RegistrationClosed(_("Registration is closed."))
            registration.event = locked
            if _seat_available(locked, library):
                registration.status = _seated_status(locked)
                if registration.status == RegistrationStatus.CONFIRMED:
                    registration.confirmed_at = timezone.now()
                _take_seat(locked, registration)
            elif locked.waiting_list:
                registration.status = RegistrationStatus.WAITING
                registration.waiting_position = _next_waiting_position(locked)
            else:
                raise EventFull(_("The event is full."))
            # The confirmation (or waiting-list) e-mail goes through the outbox.
            registration.notice = registration.status
            # A second registration of the same address fails here, on the partial unique
            # index (event, lower(email)) of active registrations, and everything rolls back.
            registration.save()
            audit_log(
                action="events.registration.created",
                actor=registered_by or user,
                agency=event.agency,
                target=event,
                data={"registration_id": registration.pk, "status": registration.status},
            )
            _mark_notices_queued(locked.pk)
    except IntegrityError as error:
        existing = event.registrations.active().filter(email__iexact=email).first()
        if existing is None:
            raise
        raise AlreadyRegistered(
            _("This e-mail address is already registered for this event."), existing
        ) from error
    registration.event = event  # the caller's full object, not the narrow locked row
    return registration


def _registration_create_postgresql(
    event: Event,
    registration: Registration,
    *,
    staff_override: bool,
    now: datetime | None,
    actor: Any,
) -> Registration:
    """PostgreSQL: one statement, `events_register()` (migration 0004), which locks the event
    row, decides and inserts the registration and its audit entry. Outside a transaction it
    commits on its own, so the lock is never held while Python works."""
    row = {
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "library_id": registration.library_id,
        "user_id": registration.user_id,
        "registered_by_id": registration.registered_by_id,
        "answers": registration.answers,
        "accepted_binding_terms": registration.accepted_binding_terms,
        "language": registration.language,
        "token": registration.token,
        "anonymised": False,
        "holds_seat": False,
        "status": RegistrationStatus.WAITING,
    }
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry: dict[str, Any] = {
        "action": "events.registration.created",
        "actor_id": user.pk if user is not None else None,
        "agency_id": event.agency_id,
        "target_type": event._meta.label_lower,
        "target_id": str(event.pk),
        "target_repr": str(event)[:300],
        "data": {},
    }
    # Outside a transaction the statement commits on its own (the point of it); inside the
    # caller's transaction it runs in a savepoint, so a duplicate leaves that transaction usable.
    block = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with block, connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM events_register(%s, %s::jsonb, %s::jsonb, %s, %s)",
                [
                    event.pk,
                    json.dumps(row, cls=DjangoJSONEncoder),
                    json.dumps(entry, cls=DjangoJSONEncoder),
                    now or timezone.now(),
                    not staff_override,
                ],
            )
            outcome, pk, position, moment, queue_notices = cursor.fetchone()
    except IntegrityError as error:
        existing = event.registrations.active().filter(email__iexact=registration.email).first()
        if existing is None:
            raise
        raise AlreadyRegistered(
            _("This e-mail address is already registered for this event."), existing
        ) from error
    if outcome == "missing":
        raise Event.DoesNotExist
    if outcome == "closed":
        raise RegistrationClosed(_("Registration is closed."))
    if outcome == "full":
        raise EventFull(_("The event is full."))
    registration.pk = pk
    registration.event = event
    registration.status = outcome
    registration.waiting_position = position
    registration.holds_seat = outcome != RegistrationStatus.WAITING
    registration.created_at = moment
    if outcome == RegistrationStatus.CONFIRMED:
        registration.confirmed_at = moment
    registration.notice = outcome
    registration._state.adding = False
    if queue_notices:
        # The notice is in the outbox (written by the same statement); the first registration
        # since the last run queues the task that sends them.
        _queue_notices(event.pk)
    return registration


def _next_waiting_position(event: Event) -> int:
    # Drawn under the event lock: positions follow the order the lock was granted.
    event.waiting_counter += 1
    Event.objects.filter(pk=event.pk).update(waiting_counter=event.waiting_counter)
    return event.waiting_counter
