"""Creating and changing events: content, rules, sessions, questions, topics, co-organisers and
plan goals; publishing, cancelling (everyone registered is told) and copying."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bokbro.core.audit import audit_log
from bokbro.directory.models import Agency
from bokbro.events.models import (
    Event,
    EventStatus,
    LibraryQuotaUse,
    Question,
    Session,
)
from bokbro.events.services.notices import _flush_notices, _notify
from bokbro.events.services.places import _promote
from bokbro.events.services.registrations import UNLIMITED_QUOTA, RegistrationError, _lock
from bokbro.plans.tagging import check_plan_goals


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
