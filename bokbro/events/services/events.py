"""Creating and changing events: content, rules, sessions, questions, topics, co-organisers and
plan goals; publishing, cancelling (everyone registered is told) and copying."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, Unpack, cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Municipality
from bokbro.events.models import (
    Event,
    EventStatus,
    LibraryQuotaUse,
    Question,
    Topic,
)
from bokbro.events.services import seats

# SessionData is imported from here by the event form, the networks and the demo.
from bokbro.events.services.event_sessions import SessionData, _save_sessions
from bokbro.events.services.notices import _flush_notices, _notify
from bokbro.events.services.places import _promote
from bokbro.events.services.registrations import UNLIMITED_QUOTA, RegistrationError, _lock
from bokbro.plans.tagging import check_plan_goals

if TYPE_CHECKING:
    from bokbro.plans.models import Goal


class EventFields(TypedDict, total=False):
    """The event's own fields, as keyword arguments of `event_create` and `event_update` (the
    ones the staff's event form edits). `event_update` changes only those given."""

    kind: str
    title: str
    summary: str
    description: str
    audience: str
    format: str
    venue: str
    venue_address: str
    municipality: Municipality | None
    online_url: str
    price: Decimal
    status: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int | None
    waiting_list: bool
    quota_per_library: int | None
    manager_approval: bool
    confirm_by_email: bool
    hold_hours: int
    invitation_role: str
    cancellation_deadline: datetime | None
    binding_text: str
    no_show_fee: Decimal | None
    late_cancellation_fee: Decimal | None
    promotion: str
    offer_hours: int
    reminder_hours: int
    retention_months: int
    certificate_min_sessions: int | None
    evaluation_url: str


EVENT_FIELDS: tuple[str, ...] = tuple(EventFields.__annotations__)


@dataclass(frozen=True)
class QuestionData:
    """An extra question of the registration form."""

    label: str
    kind: str
    choices: str = ""
    required: bool = False

    @classmethod
    def of(cls, question: Question) -> QuestionData:
        return cls(
            label=question.label,
            kind=question.kind,
            choices=question.choices,
            required=question.required,
        )


def _span(sessions: Sequence[SessionData]) -> tuple[datetime, datetime]:
    if not sessions:
        raise ValueError("An event needs at least one session.")
    return min(s.starts_at for s in sessions), max(s.ends_at for s in sessions)


def _save_questions(event: Event, questions: Iterable[QuestionData]) -> None:
    event.questions.all().delete()
    Question.objects.bulk_create(
        Question(
            event=event,
            position=i,
            label=q.label,
            kind=q.kind,
            choices=q.choices,
            required=q.required,
        )
        for i, q in enumerate(questions)
    )


@transaction.atomic
def event_create(
    *,
    actor: Actor | None,
    agency: Agency,
    sessions: Sequence[SessionData],
    questions: Iterable[QuestionData] = (),
    topics: Iterable[Topic] = (),
    co_organisers: Iterable[Agency] = (),
    plan_goals: Iterable[Goal] | None = None,
    **fields: Unpack[EventFields],
) -> Event:
    """A new event of `agency` (a draft unless `status` says otherwise). `actor` is None for
    events made by the demo or a command."""
    starts_at, ends_at = _span(sessions)
    event = Event(agency=agency, created_by=actor, starts_at=starts_at, ends_at=ends_at, **fields)
    event.full_clean(exclude=["created_by"])
    event.save()
    _save_sessions(event, sessions, actor=actor)
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
    actor: Actor,
    agency: Agency,
    event: Event,
    sessions: Sequence[SessionData] | None = None,
    questions: Iterable[QuestionData] | None = None,
    topics: Iterable[Topic] | None = None,
    co_organisers: Iterable[Agency] | None = None,
    plan_goals: Iterable[Goal] | None = None,
    remove_chosen: Collection[int] = (),
    **changes: Unpack[EventFields],
) -> Event:
    """Change the fields given in `changes`, and the sessions, questions and relations that are
    not None. A seat freed by a higher capacity goes to the waiting list. A session people have
    chosen is removed only if `remove_chosen` names it (else `SessionsChosen`), and they are
    told by e-mail."""
    locked = _lock(event.pk)
    capacity = changes.get("capacity", locked.capacity)
    if capacity is not None and capacity < locked.seats_taken:
        raise RegistrationError(
            ngettext(
                "%(taken)s seat is already taken; the capacity cannot be lower than that.",
                "%(taken)s seats are already taken; the capacity cannot be lower than that.",
                locked.seats_taken,
            )
            % {"taken": locked.seats_taken}
        )
    if locked.seat_pools.exists() and "capacity" in changes:
        kept = seats.reserved(locked) if seats.keeps_seats(locked) else 0
        if capacity is None:
            raise RegistrationError(
                _("Seats are kept for groups: the event needs a number of seats.")
            )
        if capacity < locked.seats_taken + kept:
            raise RegistrationError(
                _(
                    "Seats taken: %(taken)s, kept for groups: %(kept)s. The capacity cannot be "
                    "lower than %(total)s."
                )
                % {"taken": locked.seats_taken, "kept": kept, "total": locked.seats_taken + kept}
            )
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    for name, value in changes.items():
        setattr(locked, name, value)
    if sessions is not None:
        locked.starts_at, locked.ends_at = _span(sessions)
        _save_sessions(locked, sessions, actor=actor, remove_chosen=remove_chosen)
        changed.append("sessions")
    locked.full_clean(exclude=["created_by"])
    locked.save()
    if "quota_per_library" in changes:
        quota = changes["quota_per_library"] or UNLIMITED_QUOTA
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
def event_publish(*, actor: Actor, agency: Agency, event: Event) -> Event:
    locked = _lock(event.pk)
    if locked.status == EventStatus.DRAFT:
        locked.status = EventStatus.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
        audit_log(action="events.event.published", actor=actor, agency=agency, target=locked)
    return locked


@transaction.atomic
def event_cancel(*, actor: Actor, agency: Agency, event: Event, reason: str = "") -> Event:
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


# The copy's dates move with its sessions; everything else the form edits is copied as it is.
MOVED_WITH_DATES = ("registration_opens_at", "registration_closes_at", "cancellation_deadline")


@transaction.atomic
def event_copy(*, actor: Actor, agency: Agency, event: Event, shift_days: int = 0) -> Event:
    """A new draft with the same content, rules, sessions and questions; no participants."""
    shift = timedelta(days=shift_days)
    sessions = [
        SessionData(
            starts_at=s.starts_at + shift,
            ends_at=s.ends_at + shift,
            title=s.title,
            venue=s.venue,
            online=s.online,
            capacity=s.capacity,
        )
        for s in event.sessions.all()
    ]
    fields = {name: getattr(event, name) for name in EVENT_FIELDS if name not in MOVED_WITH_DATES}
    for name in MOVED_WITH_DATES:
        value = getattr(event, name)
        fields[name] = value + shift if value else None
    fields["status"] = EventStatus.DRAFT
    copy = event_create(
        actor=actor,
        agency=agency,
        sessions=sessions,
        questions=[QuestionData.of(q) for q in event.questions.all()],
        topics=event.topics.all(),
        co_organisers=event.co_organisers.all(),
        plan_goals=event.plan_goals.all(),  # the copy serves the same goals of the plan
        **cast(EventFields, fields),
    )
    seats.copy_pools(event, copy, shift)
    audit_log(
        action="events.event.copied",
        actor=actor,
        agency=agency,
        target=copy,
        data={"from_event": event.pk},
    )
    return copy


@transaction.atomic
def event_topic_add(*, actor: Actor, agency: Agency, event: Event, name: str) -> Topic:
    """Tag the event with a topic by name, adding it to the organiser's list if it is new."""
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
