"""Elective sessions: a session with its own capacity (`Session.capacity`, a workshop in a
smaller room) that participants choose when they register (`SessionPlace`).

- A registration holding a seat on the event (confirmed, awaiting approval, held, offered) gets,
  for each session it chose, a seat in the session if one is free, else a place on the
  session's waiting list. A registration on the event's waiting list keeps its choices
  (`chosen`); they are placed when it gets a seat (`places_seat`, called with every seat given:
  registrations._take_seat).
- A registration that gives up its place (cancelled, declined, lapsed, erased) gives up its
  sessions; each freed seat goes to the first on that session's waiting list whose
  registration holds a seat on the event, and that person is told which session
  (`places_release`).

Concurrency (docs/concurrency.md, "Elective sessions"): every change here runs inside a
transaction that holds the event's row lock — a new registration's batch, or the lock of a
cancellation or promotion (places.py) — so changes of one event's sessions happen one at a time.
The seat itself is taken with a conditional `UPDATE … SET seats_taken = seats_taken + 1 WHERE
seats_taken < capacity`, the sessions in id order, and `CHECK (seats_taken <= capacity)` on the
session is the last line of defence. Events without elective sessions never reach this module on
the registration's fast path (registrations.registration_create calls it only when sessions
were chosen).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokbro.events.models import (
    Event,
    Registration,
    Session,
    SessionPlace,
    SessionPlaceStatus,
)
from bokbro.events.services.notices import _notify

# A chosen session removed by the staff while the person filled in the form (the form, the API
# and the registration under the event's lock all say so).
SESSION_REMOVED = gettext_lazy(
    "A session you chose has just been removed from the event. Choose again."
)


def elective_sessions(event: Event) -> list[Session]:
    return list(event.sessions.filter(capacity__isnull=False).order_by("starts_at", "pk"))


def session_label(session: Session) -> str:
    return session.label


def choice_problem(event: Event, sessions: Sequence[Session]) -> str | None:
    """Why these sessions cannot be chosen together (None: they can): each is an elective
    session of the event, and no two are at the same time."""
    for session in sessions:
        if session.event_id != event.pk or session.capacity is None:
            return _("Choose among the event's sessions with their own seats.")
    ordered = sorted(sessions, key=lambda s: s.starts_at)
    for first, second in pairwise(ordered):
        if second.starts_at < first.ends_at:
            return _("“%(first)s” and “%(second)s” are at the same time; choose one of them.") % {
                "first": session_label(first),
                "second": session_label(second),
            }
    return None


def places_choose(*, registration: Registration, sessions: Iterable[Session]) -> None:
    """Record the registration's choices and, if it holds a seat on the event, place them.
    Caller: the registration's own transaction, which holds the event's row lock."""
    SessionPlace.objects.bulk_create(
        SessionPlace(registration=registration, session=s, status=SessionPlaceStatus.CHOSEN)
        for s in sessions
    )
    if registration.holds_seat:
        places_seat(registration)


def places_seat(registration: Registration) -> None:
    """The registration now holds a seat on the event: each session it chose gives it a seat
    if one is free, else a place on the session's waiting list. Caller holds the event's lock."""
    chosen = SessionPlace.objects.filter(
        registration_id=registration.pk, status=SessionPlaceStatus.CHOSEN
    ).order_by("session_id")  # the sessions' rows are locked in id order
    for place in chosen:
        if _take(place.session_id):
            place.status = SessionPlaceStatus.SEAT
        else:
            place.status = SessionPlaceStatus.WAITING
            place.waiting_position = _next_position(place.session_id)
        place.save(update_fields=["status", "waiting_position"])


def places_release(registration: Registration) -> list[int]:
    """The registration gives up its place on the event, and with it its sessions: each freed
    seat goes to the first on the session's waiting list whose registration holds a seat on the
    event, who is told. Caller holds the event's lock. Returns the places given a seat."""
    return _give_up(
        list(SessionPlace.objects.filter(registration_id=registration.pk).order_by("session_id"))
    )


def places_change(*, registration: Registration, sessions: Sequence[Session]) -> Change:
    """The participant's new choice (`sessions`, checked by the caller under the event's
    lock): the places in sessions still chosen stay as they are; those given up free their
    seats for the sessions' waiting lists (who are told); each newly chosen session gives a
    seat if one is free, else a place at the end of its waiting list (on the event's waiting
    list, the choice waits for a seat, as at registration). Caller holds the event's lock."""
    current = list(
        SessionPlace.objects.filter(registration_id=registration.pk).order_by("session_id")
    )
    kept = {p.session_id for p in current}
    wanted = {s.pk for s in sessions}
    dropped = [p for p in current if p.session_id not in wanted]
    added = sorted(wanted - kept)
    promoted = _give_up(dropped)
    SessionPlace.objects.bulk_create(
        SessionPlace(registration=registration, session_id=pk, status=SessionPlaceStatus.CHOSEN)
        for pk in added
    )
    if added and registration.holds_seat:
        places_seat(registration)
    return Change(added=added, removed=sorted(p.session_id for p in dropped), promoted=promoted)


@dataclass(frozen=True)
class Change:
    """What `places_change` did: sessions (ids) added and given up, and the places of others
    given a seat."""

    added: list[int]
    removed: list[int]
    promoted: list[int]


def _give_up(places: list[SessionPlace]) -> list[int]:
    if not places:
        return []
    SessionPlace.objects.filter(pk__in=[p.pk for p in places]).delete()
    promoted: list[int] = []
    for place in places:
        if place.status == SessionPlaceStatus.SEAT:
            Session.objects.filter(pk=place.session_id).update(seats_taken=F("seats_taken") - 1)
            promoted += session_promote(place.session_id)
    return promoted


def session_promote(session_id: int) -> list[int]:
    """Give the session's free seats to its waiting list in arrival order (only to people who
    hold a seat on the event), each told which session. Caller holds the event's lock."""
    promoted: list[int] = []
    while True:
        place = (
            SessionPlace.objects.filter(
                session_id=session_id,
                status=SessionPlaceStatus.WAITING,
                registration__holds_seat=True,
            )
            .order_by("waiting_position", "pk")
            .first()
        )
        if place is None or not _take(session_id):
            return promoted
        place.status = SessionPlaceStatus.SEAT
        place.waiting_position = None
        place.save(update_fields=["status", "waiting_position"])
        _notify(place.registration_id, "session_promoted", session_id=session_id)
        promoted.append(place.pk)


def _take(session_id: int) -> bool:
    """Take a seat in the session if one is free: one conditional UPDATE (the row's lock)."""
    return bool(
        Session.objects.filter(
            pk=session_id, capacity__isnull=False, seats_taken__lt=F("capacity")
        ).update(seats_taken=F("seats_taken") + 1)
    )


def _next_position(session_id: int) -> int:
    last = SessionPlace.objects.filter(
        session_id=session_id, status=SessionPlaceStatus.WAITING
    ).aggregate(n=Max("waiting_position"))["n"]
    return (last or 0) + 1
