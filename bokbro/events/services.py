"""Every write to events and registrations (STYLE.md §2).

Concurrency (docs/concurrency.md): a registration, cancellation or promotion takes the event's
row lock (`select_for_update`; on SQLite the transaction is IMMEDIATE), reads the counters,
writes the registration and the counters, and commits — a few milliseconds. Waiting-list
positions are drawn after the lock is taken, so arrival order is the order the lock was granted.
E-mails are queued after commit, never sent inside the lock; a new registration's e-mail goes
through the outbox (`Registration.notice`, `notices_send`). CHECK constraints on the
counters and a partial unique index on (event, lower(email)) are the safety net.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.directory.access import roles_for
from bokbro.directory.models import Agency, Library
from bokbro.events.models import (
    BudgetLine,
    Event,
    EventStatus,
    InvitationRole,
    LibraryQuotaUse,
    Material,
    MaterialKind,
    Promotion,
    Question,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.plans.tagging import check_plan_goals

UNLIMITED_QUOTA = 2**31 - 1


class RegistrationError(Exception):
    """A registration rule said no; `message` is shown to the user in their language."""

    code = "invalid"

    def __init__(self, message: Any, registration: Registration | None = None):
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


# --- Events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    venue: str = ""
    online: bool = False


def _span(sessions: Sequence[SessionData]) -> tuple[datetime, datetime]:
    if not sessions:
        raise ValueError("An event needs at least one session.")
    return min(s.starts_at for s in sessions), max(s.ends_at for s in sessions)


def _save_sessions(event: Event, sessions: Sequence[SessionData]) -> None:
    """Update the event's sessions in place, in time order, so that what hangs on a session
    (attendance, material) keeps its row; extra rows are added, surplus ones removed."""
    existing = list(event.sessions.order_by("starts_at", "pk"))
    wanted = sorted(sessions, key=lambda s: s.starts_at)
    for row, data in zip(existing, wanted, strict=False):
        row.starts_at, row.ends_at = data.starts_at, data.ends_at
        row.title, row.venue, row.online = data.title, data.venue, data.online
        row.save()
    Session.objects.bulk_create(
        Session(
            event=event,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            title=s.title,
            venue=s.venue,
            online=s.online,
        )
        for s in wanted[len(existing) :]
    )
    for row in existing[len(wanted) :]:
        row.delete()


def _save_questions(event: Event, questions: Iterable[dict[str, Any]]) -> None:
    event.questions.all().delete()
    Question.objects.bulk_create(
        Question(event=event, position=i, **q) for i, q in enumerate(questions)
    )


@transaction.atomic
def event_create(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    sessions: Sequence[SessionData],
    questions: Iterable[dict[str, Any]] = (),
    topics: Iterable[Any] = (),
    co_organisers: Iterable[Agency] = (),
    plan_goals: Iterable[Any] | None = None,
) -> Event:
    starts_at, ends_at = _span(sessions)
    event = Event(agency=agency, created_by=actor, starts_at=starts_at, ends_at=ends_at, **data)
    event.full_clean(exclude=["created_by"])
    event.save()
    _save_sessions(event, sessions)
    _save_questions(event, questions)
    event.topics.set(topics)
    event.co_organisers.set([a for a in co_organisers if a.pk != agency.pk])
    if plan_goals is not None:
        plan_goals = list(plan_goals)
        check_plan_goals(agency, plan_goals)
        event.plan_goals.set(plan_goals)
    audit_log(action="events.event.created", actor=actor, agency=agency, target=event)
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    agency: Agency,
    event: Event,
    data: dict[str, Any],
    sessions: Sequence[SessionData] | None = None,
    questions: Iterable[dict[str, Any]] | None = None,
    topics: Iterable[Any] | None = None,
    co_organisers: Iterable[Agency] | None = None,
    plan_goals: Iterable[Any] | None = None,
) -> Event:
    locked = _lock(event.pk)
    capacity = data.get("capacity", locked.capacity)
    if capacity is not None and capacity < locked.seats_taken:
        raise RegistrationError(
            _("%(taken)s seats are already taken; the capacity cannot be lower than that.")
            % {"taken": locked.seats_taken}
        )
    changed = [name for name, value in data.items() if getattr(locked, name) != value]
    for name, value in data.items():
        setattr(locked, name, value)
    if sessions is not None:
        locked.starts_at, locked.ends_at = _span(sessions)
        _save_sessions(locked, sessions)
        changed.append("sessions")
    locked.full_clean(exclude=["created_by"])
    locked.save()
    if "quota_per_library" in data:
        quota = data["quota_per_library"] or UNLIMITED_QUOTA
        # Never below what a library already holds: existing places stay, new ones wait.
        for use in LibraryQuotaUse.objects.filter(event=locked):
            use.quota = max(quota, use.taken)
            use.save(update_fields=["quota"])
    if questions is not None:
        _save_questions(locked, questions)
    if topics is not None:
        locked.topics.set(topics)
    if co_organisers is not None:
        locked.co_organisers.set([a for a in co_organisers if a.pk != locked.agency_id])
    if plan_goals is not None:
        plan_goals = list(plan_goals)
        check_plan_goals(locked.agency, plan_goals)  # the organiser's goals only
        before = set(locked.plan_goals.values_list("pk", flat=True))
        locked.plan_goals.set(plan_goals)
        if before != set(locked.plan_goals.values_list("pk", flat=True)):
            changed.append("plan_goals")
    promoted = _promote(locked)
    audit_log(
        action="events.event.updated",
        actor=actor,
        agency=agency,
        target=locked,
        data={"fields": sorted(set(changed)), "promoted": len(promoted)},
    )
    return locked


@transaction.atomic
def event_publish(*, actor: Any, agency: Agency, event: Event) -> Event:
    locked = _lock(event.pk)
    if locked.status == EventStatus.DRAFT:
        locked.status = EventStatus.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
        audit_log(action="events.event.published", actor=actor, agency=agency, target=locked)
    return locked


@transaction.atomic
def event_cancel(*, actor: Any, agency: Agency, event: Event, reason: str = "") -> Event:
    """Cancel the event; everyone still registered is told."""
    locked = _lock(event.pk)
    if locked.status == EventStatus.CANCELLED:
        return locked
    locked.status = EventStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    ids = list(locked.registrations.active().values_list("pk", flat=True))
    audit_log(
        action="events.event.cancelled",
        actor=actor,
        agency=agency,
        target=locked,
        data={"participants_told": len(ids)},
    )
    _flush_notices(locked.registrations.all())
    for registration_id in ids:
        _notify(registration_id, "event_cancelled", reason=reason, outbox_flushed=True)
    return locked


@transaction.atomic
def event_copy(*, actor: Any, agency: Agency, event: Event, shift_days: int = 0) -> Event:
    """A new draft with the same content, rules, sessions and questions; no participants."""
    sessions = [
        SessionData(
            starts_at=s.starts_at + timedelta(days=shift_days),
            ends_at=s.ends_at + timedelta(days=shift_days),
            title=s.title,
            venue=s.venue,
            online=s.online,
        )
        for s in event.sessions.all()
    ]
    fields = [
        "kind",
        "title",
        "summary",
        "description",
        "audience",
        "format",
        "venue",
        "venue_address",
        "municipality",
        "online_url",
        "price",
        "capacity",
        "waiting_list",
        "quota_per_library",
        "manager_approval",
        "invitation_role",
        "binding_text",
        "no_show_fee",
        "late_cancellation_fee",
        "promotion",
        "offer_hours",
        "reminder_hours",
        "retention_months",
        "certificate_min_sessions",
        "evaluation_url",
    ]
    data = {name: getattr(event, name) for name in fields}
    shift = timedelta(days=shift_days)
    for name in ("registration_opens_at", "registration_closes_at", "cancellation_deadline"):
        value = getattr(event, name)
        data[name] = value + shift if value else None
    data["status"] = EventStatus.DRAFT
    copy = event_create(
        actor=actor,
        agency=agency,
        data=data,
        sessions=sessions,
        questions=[
            {"label": q.label, "kind": q.kind, "choices": q.choices, "required": q.required}
            for q in event.questions.all()
        ],
        topics=event.topics.all(),
        co_organisers=event.co_organisers.all(),
        plan_goals=event.plan_goals.all(),  # the copy serves the same goals of the plan
    )
    audit_log(
        action="events.event.copied",
        actor=actor,
        agency=agency,
        target=copy,
        data={"from_event": event.pk},
    )
    return copy


# --- Registrations -----------------------------------------------------------------------------


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


def _quota_use(event: Event, library: Library) -> LibraryQuotaUse:
    use, _created = LibraryQuotaUse.objects.get_or_create(
        event=event,
        library=library,
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
        use = _quota_use(event, registration.library)
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


def _notify(registration_id: int, kind: str, *, outbox_flushed: bool = False, **extra: Any) -> None:
    """Tell the participant after commit. A notice of theirs still in the outbox (a
    confirmation not sent yet) is queued first, so the e-mails arrive in the order things
    happened. Caller holds a transaction."""
    from bokbro.events.tasks import notify_registration

    if not outbox_flushed:
        _flush_notices(Registration.objects.filter(pk=registration_id))
    enqueue_on_commit(notify_registration, registration_id=registration_id, kind=kind, **extra)


# --- The notification outbox -----------------------------------------------------------------
#
# A new registration's confirmation (or waiting-list) e-mail is not a task of its own: the
# registration row is the outbox (`Registration.notice`, written by the same statement that
# registers), and one `send_notices` task per event and short window sends every pending notice.
# `Event.notices_queued`, set under the event's row lock, says that task is already queued. A
# burst of 1,000 registrations thus queues a handful of tasks instead of 1,000
# (docs/concurrency.md, docs/performance.md).

# How long a queued task waits, gathering the notices of a burst, where the task backend can
# defer (the database queue can; the immediate backend of tests and the demo sends at once).
NOTICE_DELAY = timedelta(seconds=1)
NOTICE_BATCH = 20


def _queue_notices(event_id: int) -> None:
    """Queue, after commit, the task that sends the event's pending notices."""
    from bokbro.events.tasks import send_notices

    task = send_notices
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + NOTICE_DELAY)
    enqueue_on_commit(task, event_id=event_id)


def _mark_notices_queued(event_id: int) -> None:
    """Under the event's lock: queue the sending task unless one is queued already."""
    if Event.objects.filter(pk=event_id, notices_queued=False).update(notices_queued=True):
        _queue_notices(event_id)


def _flush_notices(registrations: Any) -> None:
    """Queue the pending notices of these registrations as tasks of their own, now (after
    commit), and take them out of the outbox; a later notice then follows them."""
    from bokbro.events.tasks import notify_registration

    pending = list(registrations.select_for_update().exclude(notice="").values_list("pk", "notice"))
    if not pending:
        return
    Registration.objects.filter(pk__in=[pk for pk, _kind in pending]).update(notice="")
    for pk, kind in pending:
        enqueue_on_commit(notify_registration, registration_id=pk, kind=kind)


def notices_send(*, event_id: int) -> int:
    """Send the event's pending notices, each exactly once: a batch of rows is claimed
    (`FOR UPDATE SKIP LOCKED`: a second run at the same time takes other rows or none), each
    e-mail is queued for delivery inside the same transaction that empties the row's notice,
    and both commit together. A run killed half-way commits nothing; its rows are pending
    again for the next run (or `bokbro periodic`). Returns how many were sent."""
    from bokbro.events.tasks import registration_email

    # First, so that a registration committed after this point queues a new task.
    Event.objects.filter(pk=event_id, notices_queued=True).update(notices_queued=False)
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(event_id=event_id)
                .exclude(notice="")
                .order_by("pk")
                .values_list("pk", "notice")[:NOTICE_BATCH]
            )
            if not batch:
                return sent
            for pk, kind in batch:
                registration_email(registration_id=pk, kind=kind, on_commit=False)
            Registration.objects.filter(pk__in=[pk for pk, _kind in batch]).update(notice="")
        sent += len(batch)


def notices_send_pending() -> int:
    """The safety net (`bokbro periodic`): send what a lost or crashed task left pending."""
    event_ids = Event.objects.filter(
        Q(notices_queued=True)
        | Q(pk__in=Registration.objects.exclude(notice="").values("event_id"))
    ).values_list("pk", flat=True)
    return sum(notices_send(event_id=pk) for pk in list(event_ids))


def _registration_changed(
    event: Event,
    registration: Registration,
    action: str,
    *,
    notify: str,
    actor: Any = None,
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


def check_eligibility(*, event: Event, user: Any, library: Library | None) -> None:
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
    entry = {
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


def _promote(event: Event) -> list[int]:
    """Give freed seats to the first eligible people on the waiting list. Caller holds the lock."""
    promoted: list[int] = []
    skipped: set[int] = set()
    while event.capacity is None or event.seats_taken < event.capacity:
        candidate = None
        for registration in (
            event.registrations.waiting().exclude(pk__in=skipped).select_related("library")
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
            candidate.status = _seated_status(event)
            if candidate.status == RegistrationStatus.CONFIRMED:
                candidate.confirmed_at = timezone.now()
            kind = "promoted"
        candidate.save(
            update_fields=[
                "status",
                "holds_seat",
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
    registration.status = status
    registration.waiting_position = None
    registration.offer_expires_at = None
    registration.cancelled_at = timezone.now()
    registration.save(
        update_fields=[
            "status",
            "holds_seat",
            "waiting_position",
            "offer_expires_at",
            "cancelled_at",
        ]
    )


@transaction.atomic
def registration_cancel(
    *,
    registration: Registration,
    actor: Any = None,
    by_staff: bool = False,
    now: datetime | None = None,
) -> Registration:
    """The participant (or staff) cancels; a freed seat goes to the waiting list."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        return registration
    now = now or timezone.now()
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


@transaction.atomic
def registration_accept_offer(*, registration: Registration) -> Registration:
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.OFFERED:
        raise RegistrationError(_("There is no open offer on this registration."))
    if registration.offer_expires_at and registration.offer_expires_at <= timezone.now():
        raise RegistrationError(_("The offer has expired."))
    registration.status = _seated_status(event)
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
    *, registration: Registration, actor: Any = None, reason: str = "declined"
) -> Registration:
    """An offer declined (or expired), or a manager's no: the seat passes on."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (RegistrationStatus.OFFERED, RegistrationStatus.PENDING_APPROVAL):
        return registration
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
def registration_approve(*, registration: Registration, actor: Any) -> Registration:
    """The library manager (or agency staff) confirms a place awaiting approval."""
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
        notify="confirmed",
        actor=actor,
    )
    return registration


@transaction.atomic
def registration_move_from_waiting_list(*, registration: Registration, actor: Any) -> Registration:
    """Staff give a waiting person a free seat out of turn."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITING:
        return registration
    if not _seat_available(event, registration.library):
        raise EventFull(
            _("There is no free seat (or the library's quota is full). Raise the capacity first.")
        )
    _take_seat(event, registration)
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.waiting_position = None
    registration.save(update_fields=["status", "holds_seat", "waiting_position", "confirmed_at"])
    _registration_changed(
        event,
        registration,
        "moved_from_waiting_list",
        notify="promoted",
        actor=actor,
    )
    return registration


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


# --- Staff additions ---


@transaction.atomic
def event_topic_add(*, actor: Any, agency: Agency, event: Event, name: str) -> Any:
    """Tag the event with a topic by name, adding it to the organiser's list if it is new."""
    from bokbro.events.models import Topic

    name = " ".join(name.split())[: Topic._meta.get_field("name").max_length]
    if not name:
        raise ValueError("A topic needs a name.")
    topic = Topic.objects.filter(agency_id=event.agency_id, name__iexact=name).first()
    if topic is None:
        topic = Topic.objects.create(agency_id=event.agency_id, name=name)
        audit_log(
            action="events.topic.created",
            actor=actor,
            agency=agency,
            target=topic,
            data={"event_id": event.pk},
        )
    event.topics.add(topic)
    return topic


@transaction.atomic
def participants_email(
    *,
    actor: Any,
    agency: Agency,
    event: Event,
    statuses: Iterable[str],
    subject: str,
    message: str,
) -> int:
    """Queue one e-mail per participant with one of `statuses` (after commit); returns how many.

    A person with several registrations (cancelled, then registered again) gets one mail, about
    their latest registration."""
    from bokbro.events.staff_tasks import email_participant

    statuses = [s for s in statuses if s in RegistrationStatus.values]
    latest: dict[str, int] = {}
    rows = (
        event.registrations.filter(status__in=statuses, anonymised=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email")
    )
    for pk, email in rows:
        latest.setdefault(email.lower(), pk)
    if not latest:
        return 0
    audit_log(
        action="events.event.emailed",
        actor=actor,
        agency=agency,
        target=event,
        data={"statuses": sorted(statuses), "recipients": len(latest), "subject": subject},
    )
    for registration_id in latest.values():
        enqueue_on_commit(
            email_participant, registration_id=registration_id, subject=subject, message=message
        )
    return len(latest)


@transaction.atomic
def registration_give_extra_seat(*, registration: Registration, actor: Any) -> Registration:
    """Staff seat a waiting person although the event (or their library's quota) is full: the
    capacity, and the library's quota on this event, grow by one where they are full."""
    event = _lock(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.WAITING:
        return registration
    raised = []
    if event.capacity is not None and event.seats_taken >= event.capacity:
        Event.objects.filter(pk=event.pk).update(capacity=F("capacity") + 1)
        event.capacity += 1
        raised.append("capacity")
    if event.quota_per_library and registration.library is not None:
        use = _quota_use(event, registration.library)
        if use.taken >= event.quota_per_library:
            LibraryQuotaUse.objects.filter(pk=use.pk).update(quota=F("taken") + 1)
            raised.append("quota")
    _take_seat(event, registration)
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.waiting_position = None
    registration.save(update_fields=["status", "holds_seat", "waiting_position", "confirmed_at"])
    _registration_changed(
        event,
        registration,
        "moved_from_waiting_list",
        notify="promoted",
        actor=actor,
        raised=raised,
    )
    return registration


# --- Material for participants ---------------------------------------------------------------


def _confirmed_participants(event: Event) -> list[int]:
    """One registration id per confirmed person (the latest, if they registered twice)."""
    latest: dict[str, int] = {}
    rows = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email")
    )
    for pk, email in rows:
        latest.setdefault(email.lower(), pk)
    return list(latest.values())


@transaction.atomic
def material_add(
    *,
    actor: Any,
    agency: Agency,
    event: Event,
    title: str,
    kind: str,
    file: Any = None,
    url: str = "",
    description: str = "",
    session: Session | None = None,
    tell_participants: bool = True,
) -> Material:
    """Share a file or a link with the event's confirmed participants, and (by default) tell
    each of them by e-mail after commit."""
    from django.db.models import Max

    from bokbro.events.material_tasks import announce_material

    if session is not None and session.event_id != event.pk:
        raise ValueError("The session belongs to another event.")
    last = event.material.aggregate(last=Max("position"))["last"]
    material = Material(
        event=event,
        session=session,
        title=title.strip(),
        kind=kind,
        url=url.strip() if kind == MaterialKind.LINK else "",
        description=description.strip(),
        added_by=actor if actor is not None and actor.is_authenticated else None,
        position=0 if last is None else last + 1,
    )
    if kind == MaterialKind.FILE:
        material.file = file
    material.full_clean(exclude=["added_by", "file"])
    material.save()
    told = _confirmed_participants(event) if tell_participants else []
    audit_log(
        action="events.material.added",
        actor=actor,
        agency=agency,
        target=event,
        data={"material_id": material.pk, "title": material.title, "participants_told": len(told)},
    )
    for registration_id in told:
        enqueue_on_commit(
            announce_material, registration_id=registration_id, material_id=material.pk
        )
    return material


@transaction.atomic
def material_remove(*, actor: Any, agency: Agency, material: Material) -> None:
    """Remove the material; its file leaves storage once the removal is committed (the
    `post_delete` handler in models.py, which also covers an event deleted with its material)."""
    audit_log(
        action="events.material.removed",
        actor=actor,
        agency=agency,
        target=material.event,
        data={"material_id": material.pk, "title": material.title},
    )
    material.delete()


# --- The event's economy -----------------------------------------------------------------------

BUDGET_LINE_FIELDS = ("kind", "category", "description", "amount", "payer", "is_estimate")


def _budget_line_data(line: BudgetLine) -> dict[str, Any]:
    return {
        "line_id": line.pk,
        "kind": line.kind,
        "category": line.category,
        "amount": str(line.amount),
        "payer": line.payer,
    }


@transaction.atomic
def budget_line_create(
    *, actor: Any, agency: Agency, event: Event, data: dict[str, Any]
) -> BudgetLine:
    line = BudgetLine(
        event=event,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **{name: data[name] for name in BUDGET_LINE_FIELDS if name in data},
    )
    line.full_clean(exclude=["created_by"])
    line.save()
    audit_log(
        action="events.budget_line.created",
        actor=actor,
        agency=agency,
        target=event,
        data=_budget_line_data(line),
    )
    return line


@transaction.atomic
def budget_line_update(
    *, actor: Any, agency: Agency, line: BudgetLine, data: dict[str, Any]
) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    changed = [
        name for name in BUDGET_LINE_FIELDS if name in data and getattr(line, name) != data[name]
    ]
    for name in changed:
        setattr(line, name, data[name])
    line.full_clean(exclude=["created_by"])
    line.save()
    audit_log(
        action="events.budget_line.updated",
        actor=actor,
        agency=agency,
        target=line.event,
        data={**_budget_line_data(line), "fields": changed},
    )
    return line


@transaction.atomic
def budget_line_delete(*, actor: Any, agency: Agency, line: BudgetLine) -> None:
    audit_log(
        action="events.budget_line.deleted",
        actor=actor,
        agency=agency,
        target=line.event,
        data=_budget_line_data(line),
    )
    line.delete()
