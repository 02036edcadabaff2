"""Seats kept for groups (`SeatPool`): "30 seats for Fredrikstad, 30 for Sarpsborg".

Until the event's `group_seats_until` (for ever when empty) a group's unused seats are kept for
its own libraries (those named, and those in its municipalities); the other seats, those no
group keeps, are open to everyone, also to a group's people once their group is full. From that
moment every unused seat is open to all, and the waiting list moves up into them
(`seat_groups.group_seats_open`, run by the periodic work and by the first registration after
the moment). This module is the rule and the groups' creation; the changes that move the
waiting list up are in seat_groups.py, which may import places.py (this module may not:
places.py asks this one for the rule).

The rule lives twice, once in SQL for a new registration (registration_sql.py, one batch) and
once here (`seat_for`) for the changes made later under the event's row lock (a cancellation's
freed seat, staff moving someone up); `test_seat_pools.py` runs the same cases through both.
Every change of a group, like every change of the counters, takes the event's row lock first.

The invariant: the open seats taken never exceed the seats no group keeps, so
`seats_taken + reserved <= capacity` while groups keep seats (`reserved` = the groups' unused
seats), and `taken <= capacity` on each group (a CHECK).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Library, Municipality
from bokbro.events.models import Event, LibraryQuotaUse, SeatPool

if TYPE_CHECKING:
    from collections.abc import Iterable


class SeatPoolError(Exception):
    """A change of the groups that would break a rule; the message is for the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def keeps_seats(event: Event, now: datetime | None = None) -> bool:
    """Whether groups' unused seats are still kept for them (before `group_seats_until`)."""
    return event.group_seats_until is None or (now or timezone.now()) < event.group_seats_until


def reserved(event: Event) -> int:
    """The seats groups keep and have not used."""
    total = event.seat_pools.aggregate(n=Sum(F("capacity") - F("taken")))["n"]
    return int(total or 0)


def pool_for(event: Event, library: Library | None) -> SeatPool | None:
    """The group whose seats this library's people take (a library in no group: None)."""
    if library is None:
        return None
    return (
        event.seat_pools.filter(Q(libraries=library) | Q(municipalities=library.municipality_id))
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class SeatChoice:
    free: bool
    pool: SeatPool | None = None


def seat_for(event: Event, library: Library | None, now: datetime | None = None) -> SeatChoice:
    """Whether someone from `library` can have a seat now, and whose seat it is (their group's,
    or an open one). The caller holds the event's row lock; `event`'s counters are current."""
    if event.quota_per_library and library is not None:
        use = LibraryQuotaUse.objects.filter(event=event, library=library).first()
        if use is not None and use.taken >= event.quota_per_library:
            return SeatChoice(False)
    return seat_in_capacity(event, library, now)


def seat_in_capacity(
    event: Event, library: Library | None, now: datetime | None = None
) -> SeatChoice:
    """`seat_for` without the library's quota: the event's seats and the groups' alone."""
    if event.capacity is not None and event.seats_taken >= event.capacity:
        return SeatChoice(False)
    if not keeps_seats(event, now):
        return SeatChoice(True)
    pool = pool_for(event, library)
    if pool is not None and pool.taken < pool.capacity:
        return SeatChoice(True, pool)
    if event.capacity is None:
        return SeatChoice(True)
    return SeatChoice(event.seats_taken + reserved(event) < event.capacity)


def open_seats_left(event: Event, now: datetime | None = None) -> int | None:
    """Seats anyone can have now (None: no limit)."""
    if event.capacity is None:
        return None
    kept = reserved(event) if keeps_seats(event, now) else 0
    return max(event.capacity - event.seats_taken - kept, 0)


@dataclass(frozen=True)
class PoolData:
    name: str
    capacity: int
    municipalities: list[Municipality]
    libraries: list[Library]


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("agency").get(pk=event.pk)


def _check(event: Event, data: PoolData, pool: SeatPool | None) -> None:
    """The group's members belong to no other group, and the seats it keeps exist."""
    if not data.municipalities and not data.libraries:
        raise SeatPoolError(_("Choose at least one municipality or library."), "municipalities")
    others = event.seat_pools.exclude(pk=pool.pk) if pool else event.seat_pools.all()
    municipality_ids = {m.pk for m in data.municipalities}
    library_municipalities = {lib.municipality_id for lib in data.libraries}
    for other in others.prefetch_related("municipalities", "libraries"):
        theirs = {m.pk for m in other.municipalities.all()}
        their_libraries = {lib.pk for lib in other.libraries.all()}
        overlap = (
            municipality_ids & theirs
            or library_municipalities & theirs
            or {lib.pk for lib in data.libraries} & their_libraries
            or {lib.municipality_id for lib in other.libraries.all()} & municipality_ids
        )
        if overlap:
            raise SeatPoolError(
                _("Some of these libraries already belong to the group “%(group)s”.")
                % {"group": other.name},
                "municipalities",
            )
    if pool is not None and data.capacity < pool.taken:
        raise SeatPoolError(
            ngettext(
                "%(taken)s of the group's seats is taken; keep at least that many.",
                "%(taken)s of the group's seats are taken; keep at least that many.",
                pool.taken,
            )
            % {"taken": pool.taken},
            "capacity",
        )
    if event.capacity is None:
        raise SeatPoolError(
            _("Give the event a number of seats before keeping some for groups."), "capacity"
        )
    if keeps_seats(event):
        change = data.capacity - (pool.capacity if pool else 0)
        open_left = event.capacity - event.seats_taken - reserved(event)
        if change > open_left:
            free = max(open_left, 0) + (pool.seats_left if pool else 0)
            raise SeatPoolError(
                ngettext(
                    "Only %(free)s seat is free outside the groups; raise the event's seats first.",
                    "Only %(free)s seats are free outside the groups; raise the event's seats "
                    "first.",
                    free,
                )
                % {"free": free},
                "capacity",
            )


def _save(pool: SeatPool, data: PoolData) -> None:
    pool.name = data.name.strip()
    pool.capacity = data.capacity
    pool.full_clean(exclude=["event"])
    pool.save()
    pool.municipalities.set(data.municipalities)
    pool.libraries.set(data.libraries)


@transaction.atomic
def seat_pool_create(
    *, actor: Actor | None, agency: Agency, event: Event, data: PoolData
) -> SeatPool:
    locked = _lock(event)
    _check(locked, data, None)
    pool = SeatPool(event=locked)
    _save(pool, data)
    audit_log(
        action="events.seat_pool.created",
        actor=actor,
        agency=agency,
        target=locked,
        data={"pool": pool.pk, "name": pool.name, "capacity": pool.capacity},
    )
    return pool


def due_for_opening(now: datetime | None = None) -> Iterable[Event]:
    now = now or timezone.now()
    return Event.objects.filter(
        group_seats_opened=False, group_seats_until__lte=now, ends_at__gt=now
    ).select_related("agency")


def copy_pools(source: Event, target: Event, shift: timedelta) -> None:
    """An event copied keeps its groups (with nobody in them) and the moment they open."""
    for pool in source.seat_pools.prefetch_related("municipalities", "libraries"):
        copy = SeatPool.objects.create(event=target, name=pool.name, capacity=pool.capacity)
        copy.municipalities.set(pool.municipalities.all())
        copy.libraries.set(pool.libraries.all())
    if source.group_seats_until is not None:
        Event.objects.filter(pk=target.pk).update(
            group_seats_until=source.group_seats_until + shift
        )
