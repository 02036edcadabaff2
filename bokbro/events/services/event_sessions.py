"""An event's sessions as the event form changes them (`events.event_create` and
`events.event_update` call `_save_sessions` under the event's row lock): a row naming a session
changes it in place, the others are new, and a session no row names is removed — one people
have chosen only once the staff confirm it (`SessionsChosen`), and each of them is told."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.events.models import Event, Session, SessionPlace
from bokbro.events.services import session_seats
from bokbro.events.services.notices import _notify
from bokbro.events.services.registrations import RegistrationError


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime
    ends_at: datetime
    title: str = ""
    venue: str = ""
    online: bool = False
    # Seats of an elective session (a workshop); None: for everyone registered.
    capacity: int | None = None
    # The event's session this row changes (the event form's rows name theirs); None: a new one.
    session_id: int | None = None


def _save_sessions(
    event: Event,
    sessions: Sequence[SessionData],
    *,
    actor: Actor | None = None,
    remove_chosen: Collection[int] = (),
) -> None:
    """Change the event's sessions to `sessions`. A row naming one of the event's sessions
    (`session_id`) changes that session in place, so that what hangs on it (attendance,
    material, the places chosen in it) keeps its row; the other rows are new sessions, and the
    sessions no row names are removed. A session people have chosen is removed only if its id
    is in `remove_chosen` (else `SessionsChosen`), and they are told (`_remove_sessions`). A
    session's seats never go below those taken, and a session people have chosen keeps a number
    of seats; more seats move its waiting list up. Caller holds the event's row lock."""
    existing = {s.pk: s for s in event.sessions.order_by("starts_at", "pk")}
    kept: dict[int, SessionData] = {}
    new: list[SessionData] = []
    for data in sessions:
        if data.session_id in existing and data.session_id not in kept:
            kept[data.session_id] = data
        else:
            new.append(data)
    removed = [row for pk, row in existing.items() if pk not in kept]
    chosen = _chosen_in(removed)
    unconfirmed = [(row, chosen[row.pk]) for row in removed if row.pk in chosen]
    unconfirmed = [(row, n) for row, n in unconfirmed if row.pk not in remove_chosen]
    if unconfirmed:
        raise SessionsChosen(unconfirmed)
    grown = []
    for pk, data in kept.items():
        row = existing[pk]
        _check_session_seats(row, data.capacity)
        if data.capacity is not None and (row.capacity is None or data.capacity > row.capacity):
            grown.append(row.pk)
        row.starts_at, row.ends_at = data.starts_at, data.ends_at
        row.title, row.venue, row.online = data.title, data.venue, data.online
        row.capacity = data.capacity
        row.save()
    Session.objects.bulk_create(
        Session(
            event=event,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            title=s.title,
            venue=s.venue,
            online=s.online,
            capacity=s.capacity,
        )
        for s in sorted(new, key=lambda s: s.starts_at)
    )
    _remove_sessions(event, removed, actor=actor)
    for session_id in grown:
        session_seats.session_promote(session_id)


def _chosen_in(sessions: Sequence[Session]) -> dict[int, int]:
    """How many registrations chose each of these sessions (a seat, its waiting list, or a
    choice waiting for a seat on the event), by session id; sessions nobody chose are left out."""
    counts = (
        SessionPlace.objects.filter(session__in=sessions)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    return dict(counts)


def _remove_sessions(event: Event, sessions: Sequence[Session], *, actor: Actor | None) -> None:
    """Delete the sessions, with the places chosen in them, and tell each person who had chosen
    one (after commit, once, naming every removed session they had chosen). Caller holds the
    event's row lock, so no one chooses one of them meanwhile."""
    if not sessions:
        return
    affected: dict[int, list[dict[str, str]]] = {}
    for row in sessions:
        registration_ids = list(row.places.values_list("registration_id", flat=True))
        about = {"title": row.title, "starts_at": row.starts_at.isoformat()}
        for registration_id in registration_ids:
            affected.setdefault(registration_id, []).append(about)
        row.delete()
        audit_log(
            action="events.session.removed",
            actor=actor,
            agency=event.agency,
            target=event,
            data={
                "session": row.title,
                "starts_at": row.starts_at.isoformat(),
                "people": len(registration_ids),
            },
        )
    for registration_id, removed in sorted(affected.items()):
        _notify(registration_id, "session_removed", removed_sessions=removed)


class SessionsChosen(RegistrationError):
    """Sessions to be removed that people have chosen: the staff confirm first (the event form
    asks), then `remove_chosen` names them. `chosen`: each session with how many chose it."""

    code = "sessions_chosen"

    def __init__(self, chosen: list[tuple[Session, int]]):
        self.chosen = chosen
        super().__init__(" ".join(removal_warning(s, n) for s, n in chosen))


def removal_warning(session: Session, people: int) -> str:
    return ngettext(
        "%(count)s person has chosen “%(session)s”: removing it takes their place in it.",
        "%(count)s people have chosen “%(session)s”: removing it takes their place in it.",
        people,
    ) % {"count": people, "session": session_seats.session_label(session)}


class SessionSeatsError(RegistrationError):
    """A session's new number of seats would leave out people who hold or chose it."""


def _check_session_seats(session: Session, capacity: int | None) -> None:
    if capacity is not None and capacity < session.seats_taken:
        raise SessionSeatsError(
            ngettext(
                "%(taken)s seat is taken in the session “%(session)s”; its seats cannot be "
                "fewer than that.",
                "%(taken)s seats are taken in the session “%(session)s”; its seats cannot be "
                "fewer than that.",
                session.seats_taken,
            )
            % {"taken": session.seats_taken, "session": session_seats.session_label(session)}
        )
    if capacity is None and session.capacity is not None and session.places.exists():
        raise SessionSeatsError(
            _(
                "Participants have chosen the session “%(session)s”: keep a number of seats "
                "(at least %(taken)s)."
            )
            % {"taken": session.seats_taken, "session": session_seats.session_label(session)}
        )
