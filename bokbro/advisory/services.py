"""Every change to the advisory log: one function per action, atomic, audit-logged.

Views, the demo and the periodic reminder all call these; nothing else writes advisory data.
Rules that the form also checks are checked here again, because services are the one path
(a library outside the agency's region, a topic of another agency, a negative time...).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.advisory.models import (
    Consultation,
    FollowUp,
    FollowUpReminder,
    PlannedVisit,
    Topic,
    Tour,
)
from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Library, Municipality, Person
from bokbro.plans.tagging import check_plan_goals

if TYPE_CHECKING:
    from bokbro.events.models import Event
    from bokbro.plans.models import Goal


@dataclass(frozen=True, kw_only=True)
class ConsultationData(Input):
    """A consultation's own fields; whom and what it concerned are the services' other
    arguments."""

    date: datetime.date
    kind: str
    hours: Decimal | None = None
    summary: str = ""
    internal_notes: str = ""
    event: Event | None = None


def _check_team_user(agency: Agency, user: Actor | None, field: str) -> None:
    if user is None or not agency.team_users().filter(pk=user.pk).exists():
        raise ValidationError({field: _("Choose someone on the agency's team.")})


# --- Topics -------------------------------------------------------------------------------------


def topic_create(*, actor: Actor, agency: Agency, name: str) -> Topic:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the topic a name.")})
    if Topic.objects.filter(agency=agency, name__iexact=name).exists():
        raise ValidationError({"name": _("The list already has a topic with this name.")})
    with transaction.atomic():
        topic = Topic.objects.create(agency=agency, name=name)
        audit_log(
            action="advisory.topic.created",
            actor=actor,
            agency=agency,
            target=topic,
            data={"name": name},
        )
    return topic


def topic_update(
    *, actor: Actor, agency: Agency, topic: Topic, name: str, is_active: bool
) -> Topic:
    if topic.agency_id != agency.pk:
        raise ValidationError(_("This topic belongs to another agency."))
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the topic a name.")})
    taken = Topic.objects.filter(agency=agency, name__iexact=name).exclude(pk=topic.pk)
    if taken.exists():
        raise ValidationError({"name": _("The list already has a topic with this name.")})
    with transaction.atomic():
        old = {"name": topic.name, "is_active": topic.is_active}
        topic.name, topic.is_active = name, is_active
        topic.save(update_fields=["name", "is_active"])
        audit_log(
            action="advisory.topic.updated",
            actor=actor,
            agency=agency,
            target=topic,
            data={"before": old, "after": {"name": name, "is_active": is_active}},
        )
    return topic


# --- Consultations ------------------------------------------------------------------------------


def _check_consultation(
    agency: Agency,
    data: ConsultationData,
    libraries: Sequence[Library],
    municipalities: Sequence[Municipality],
    topics: Sequence[Topic],
) -> None:
    errors: dict[str, Any] = {}
    if not libraries and not municipalities:
        errors["libraries"] = _("Choose at least one library or municipality.")
    counties = set(agency_county_ids(agency))
    outside = [
        lib.name for lib in libraries if (lib.home_county and lib.home_county.pk) not in counties
    ]
    if outside:
        errors["libraries"] = _("These libraries are outside the agency's region: %(names)s.") % {
            "names": ", ".join(outside)
        }
    outside = [m.name for m in municipalities if m.county_id not in counties]
    if outside:
        errors["municipalities"] = _(
            "These municipalities are outside the agency's region: %(names)s."
        ) % {"names": ", ".join(outside)}
    if any(topic.agency_id != agency.pk for topic in topics):
        errors["topics"] = _("Choose topics from the agency's own list.")
    if data.hours is not None and data.hours < 0:
        errors["hours"] = _("The time spent cannot be negative.")
    event = data.event
    if event is not None:
        from bokbro.events.models import Event

        if not Event.objects.owned_by(agency).filter(pk=event.pk).exists():
            errors["event"] = _("Choose one of the agency's own courses.")
    if errors:
        raise ValidationError(errors)


def _consultation_snapshot(consultation: Consultation) -> dict[str, Any]:
    """What changed, for the history: field names only for the free texts."""
    return {
        "date": consultation.date.isoformat(),
        "kind": consultation.kind,
        "hours": consultation.hours,  # compared as numbers: 1.5 is 1.50
        "libraries": sorted(consultation.libraries.values_list("pk", flat=True)),
        "municipalities": sorted(consultation.municipalities.values_list("pk", flat=True)),
        "people": sorted(consultation.people.values_list("pk", flat=True)),
        "topics": sorted(consultation.topics.values_list("pk", flat=True)),
        "plan_goals": sorted(consultation.plan_goals.values_list("pk", flat=True)),
        "consultant": consultation.consultant_id,
        "event": consultation.event_id,
        "summary": consultation.summary,
        "internal_notes": consultation.internal_notes,
    }


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(key for key in after if before.get(key) != after[key])


def consultation_create(
    *,
    actor: Actor,
    agency: Agency,
    data: ConsultationData,
    consultant: Actor,
    libraries: Sequence[Library] = (),
    municipalities: Sequence[Municipality] = (),
    people: Iterable[Person] = (),
    topics: Sequence[Topic] = (),
    visit: PlannedVisit | None = None,
    plan_goals: Sequence[Goal] | None = None,
) -> Consultation:
    """Log a consultation; when it is a planned visit done, the visit is linked to it."""
    _check_team_user(agency, consultant, "consultant")
    _check_consultation(agency, data, libraries, municipalities, topics)
    check_plan_goals(agency, plan_goals or ())
    with transaction.atomic():
        if visit is not None:
            visit = PlannedVisit.objects.select_for_update().get(pk=visit.pk)
            if visit.tour.agency_id != agency.pk:
                raise ValidationError(_("This visit belongs to another agency."))
            if visit.consultation_id is not None:
                raise ValidationError(_("This visit is already logged."))
        consultation = Consultation.objects.create(
            agency=agency,
            consultant=consultant,
            created_by=actor,
            **dict(data.items()),
        )
        consultation.libraries.set(libraries)
        consultation.municipalities.set(municipalities)
        consultation.people.set(people)
        consultation.topics.set(topics)
        if plan_goals is not None:
            consultation.plan_goals.set(plan_goals)
        audit_log(
            action="advisory.consultation.created",
            actor=actor,
            agency=agency,
            target=consultation,
            data={"kind": consultation.kind, "libraries": [lib.pk for lib in libraries]},
        )
        if visit is not None:
            visit.consultation = consultation
            visit.save(update_fields=["consultation"])
            audit_log(
                action="advisory.visit.done",
                actor=actor,
                agency=agency,
                target=visit.tour,
                data={"visit": visit.pk, "consultation": consultation.pk},
            )
    return consultation


def consultation_update(
    *,
    actor: Actor,
    agency: Agency,
    consultation: Consultation,
    data: ConsultationData,
    consultant: Actor,
    libraries: Sequence[Library] = (),
    municipalities: Sequence[Municipality] = (),
    people: Iterable[Person] = (),
    topics: Sequence[Topic] = (),
    plan_goals: Sequence[Goal] | None = None,
) -> Consultation:
    if consultation.agency_id != agency.pk:
        raise ValidationError(_("This consultation belongs to another agency."))
    _check_team_user(agency, consultant, "consultant")
    _check_consultation(agency, data, libraries, municipalities, topics)
    check_plan_goals(agency, plan_goals or ())
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        before = _consultation_snapshot(consultation)
        for key, value in data.items():
            setattr(consultation, key, value)
        consultation.consultant = consultant
        consultation.save()
        consultation.libraries.set(libraries)
        consultation.municipalities.set(municipalities)
        consultation.people.set(people)
        consultation.topics.set(topics)
        if plan_goals is not None:
            consultation.plan_goals.set(plan_goals)
        changed = _changed_fields(before, _consultation_snapshot(consultation))
        if changed:
            audit_log(
                action="advisory.consultation.updated",
                actor=actor,
                agency=agency,
                target=consultation,
                data={"fields": changed},
            )
    return consultation


def consultation_delete(*, actor: Actor, agency: Agency, consultation: Consultation) -> None:
    if consultation.agency_id != agency.pk:
        raise ValidationError(_("This consultation belongs to another agency."))
    with transaction.atomic():
        audit_log(
            action="advisory.consultation.deleted",
            actor=actor,
            agency=agency,
            target=consultation,
            data={"date": consultation.date.isoformat(), "kind": consultation.kind},
        )
        consultation.delete()


# --- Follow-ups ---------------------------------------------------------------------------------


def follow_up_create(
    *,
    actor: Actor,
    agency: Agency,
    consultation: Consultation,
    what: str,
    due_date: date,
    owner: Actor,
) -> FollowUp:
    if consultation.agency_id != agency.pk:
        raise ValidationError(_("This consultation belongs to another agency."))
    _check_team_user(agency, owner, "owner")
    if not what.strip():
        raise ValidationError({"what": _("Say what is to be done.")})
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            agency=agency,
            consultation=consultation,
            what=what.strip(),
            due_date=due_date,
            owner=owner,
        )
        audit_log(
            action="advisory.follow_up.created",
            actor=actor,
            agency=agency,
            target=consultation,
            data={"follow_up": follow_up.pk, "due_date": due_date.isoformat(), "owner": owner.pk},
        )
    return follow_up


def follow_up_update(
    *, actor: Actor, agency: Agency, follow_up: FollowUp, what: str, due_date: date, owner: Actor
) -> FollowUp:
    """A new date, a new owner or a clearer task: the history says which changed."""
    if follow_up.agency_id != agency.pk:
        raise ValidationError(_("This follow-up belongs to another agency."))
    _check_team_user(agency, owner, "owner")
    if not what.strip():
        raise ValidationError({"what": _("Say what is to be done.")})
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        before = {
            "what": follow_up.what,
            "due_date": follow_up.due_date,
            "owner": follow_up.owner_id,
        }
        follow_up.what, follow_up.due_date, follow_up.owner = what.strip(), due_date, owner
        after = {"what": follow_up.what, "due_date": due_date, "owner": owner.pk}
        changed = _changed_fields(before, after)
        if changed:
            follow_up.save(update_fields=["what", "due_date", "owner"])
            audit_log(
                action="advisory.follow_up.updated",
                actor=actor,
                agency=agency,
                target=follow_up.consultation,
                data={"follow_up": follow_up.pk, "fields": changed},
            )
    return follow_up


def follow_up_set_done(
    *, actor: Actor, agency: Agency, follow_up: FollowUp, done: bool
) -> FollowUp:
    if follow_up.agency_id != agency.pk:
        raise ValidationError(_("This follow-up belongs to another agency."))
    with transaction.atomic():
        # A conditional UPDATE: a double click records one change.
        changed = FollowUp.objects.filter(pk=follow_up.pk, done=not done).update(
            done=done, done_at=timezone.now() if done else None
        )
        if changed:
            audit_log(
                action="advisory.follow_up.done" if done else "advisory.follow_up.reopened",
                actor=actor,
                agency=agency,
                target=follow_up.consultation,
                data={"follow_up": follow_up.pk},
            )
    follow_up.refresh_from_db()
    return follow_up


def follow_up_reminder_claim(*, agency: Agency, owner: Actor, today: date, count: int) -> bool:
    """Claim today's reminder for this owner: True for the one caller that may send it."""
    try:
        with transaction.atomic():
            FollowUpReminder.objects.create(
                agency=agency, owner=owner, sent_on=today, follow_ups=count
            )
    except IntegrityError:
        return False
    return True


# --- Tours and planned visits -------------------------------------------------------------------


def _check_tour(agency: Agency, consultant: Actor, starts_on: date, ends_on: date) -> None:
    _check_team_user(agency, consultant, "consultant")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})


def tour_create(
    *,
    actor: Actor,
    agency: Agency,
    title: str,
    consultant: Actor,
    starts_on: date,
    ends_on: date,
    notes: str = "",
) -> Tour:
    _check_tour(agency, consultant, starts_on, ends_on)
    with transaction.atomic():
        tour = Tour.objects.create(
            agency=agency,
            title=title,
            consultant=consultant,
            starts_on=starts_on,
            ends_on=ends_on,
            notes=notes,
        )
        audit_log(action="advisory.tour.created", actor=actor, agency=agency, target=tour)
    return tour


def tour_update(
    *,
    actor: Actor,
    agency: Agency,
    tour: Tour,
    title: str,
    consultant: Actor,
    starts_on: date,
    ends_on: date,
    notes: str = "",
) -> Tour:
    if tour.agency_id != agency.pk:
        raise ValidationError(_("This tour belongs to another agency."))
    _check_tour(agency, consultant, starts_on, ends_on)
    outside = tour.visits.exclude(date__range=(starts_on, ends_on))
    if outside.exists():
        raise ValidationError(
            {"starts_on": _("Some planned visits fall outside these days: move them first.")}
        )
    with transaction.atomic():
        tour.title, tour.consultant, tour.notes = title, consultant, notes
        tour.starts_on, tour.ends_on = starts_on, ends_on
        tour.save()
        audit_log(action="advisory.tour.updated", actor=actor, agency=agency, target=tour)
    return tour


def visit_add(
    *,
    actor: Actor,
    agency: Agency,
    tour: Tour,
    library: Library,
    date: date,
    time: time | None = None,
    purpose: str = "",
) -> PlannedVisit:
    if tour.agency_id != agency.pk:
        raise ValidationError(_("This tour belongs to another agency."))
    errors: dict[str, Any] = {}
    if not (tour.starts_on <= date <= tour.ends_on):
        errors["date"] = _("Choose a day of the tour.")
    county = library.home_county
    if county is None or county.pk not in agency_county_ids(agency):
        errors["library"] = _("Choose a library in the agency's region.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Tour.objects.select_for_update().filter(pk=tour.pk).first()
        position = tour.visits.filter(date=date).count()
        visit = PlannedVisit.objects.create(
            tour=tour, library=library, date=date, time=time, purpose=purpose, position=position
        )
        audit_log(
            action="advisory.visit.planned",
            actor=actor,
            agency=agency,
            target=tour,
            data={"visit": visit.pk, "library": library.pk, "date": date.isoformat()},
        )
    return visit


def visit_remove(*, actor: Actor, agency: Agency, visit: PlannedVisit) -> None:
    if visit.tour.agency_id != agency.pk:
        raise ValidationError(_("This tour belongs to another agency."))
    if visit.consultation_id is not None:
        raise ValidationError(_("A visit that is logged stays on the tour."))
    with transaction.atomic():
        audit_log(
            action="advisory.visit.removed",
            actor=actor,
            agency=agency,
            target=visit.tour,
            data={"visit": visit.pk, "library": visit.library_id},
        )
        visit.delete()
