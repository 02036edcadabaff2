"""Changes of the seats kept for groups that move the waiting list up: a group changed or
removed, the date the groups' unused seats open to all, and opening them once it has passed
(seats.py holds the rule itself)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.events.models import Event, Registration, SeatPool
from bokbro.events.services.places import _promote
from bokbro.events.services.seats import PoolData, _check, _lock, _save


@transaction.atomic
def seat_pool_update(*, actor: Actor, agency: Agency, pool: SeatPool, data: PoolData) -> SeatPool:
    locked = _lock(pool.event)
    pool = SeatPool.objects.get(pk=pool.pk)
    _check(locked, data, pool)
    _save(pool, data)
    audit_log(
        action="events.seat_pool.updated",
        actor=actor,
        agency=agency,
        target=locked,
        data={"pool": pool.pk, "name": pool.name, "capacity": pool.capacity},
    )
    _promote_into_open_seats(locked)
    return pool


@transaction.atomic
def seat_pool_delete(*, actor: Actor, agency: Agency, pool: SeatPool) -> None:
    """The group's people keep their seats, now open ones; its unused seats open to all."""
    locked = _lock(pool.event)
    Registration.objects.filter(seat_pool=pool).update(seat_pool=None)
    audit_log(
        action="events.seat_pool.deleted",
        actor=actor,
        agency=agency,
        target=locked,
        data={"pool": pool.pk, "name": pool.name},
    )
    SeatPool.objects.filter(pk=pool.pk).delete()
    _promote_into_open_seats(locked)


@transaction.atomic
def group_seats_until_set(
    *, actor: Actor | None, agency: Agency, event: Event, until: datetime | None
) -> Event:
    locked = _lock(event)
    locked.group_seats_until = until
    locked.group_seats_opened = False
    locked.full_clean(exclude=["created_by"])
    Event.objects.filter(pk=locked.pk).update(group_seats_until=until, group_seats_opened=False)
    audit_log(
        action="events.seat_pool.until_changed",
        actor=actor,
        agency=agency,
        target=locked,
        data={"until": until.isoformat() if until else None},
    )
    if until is not None and until <= timezone.now():
        _open(locked)
    return locked


def _promote_into_open_seats(event: Event) -> list[int]:
    return _promote(event)


def _open(event: Event) -> list[int]:
    Event.objects.filter(pk=event.pk).update(group_seats_opened=True)
    event.group_seats_opened = True
    return _promote_into_open_seats(event)


def group_seats_open(event: Event, now: datetime | None = None) -> list[int]:
    """Once `group_seats_until` has passed: the waiting list moves up into the seats the groups
    did not use (once per event; safe to call again). Returns the promoted registrations."""
    now = now or timezone.now()
    if event.group_seats_opened or event.group_seats_until is None or now < event.group_seats_until:
        return []
    with transaction.atomic():
        locked = _lock(event)
        if locked.group_seats_opened:
            return []
        promoted = _open(locked)
        audit_log(
            action="events.seat_pool.opened",
            actor=None,
            agency=locked.agency,
            target=locked,
            data={"promoted": len(promoted)},
        )
    return promoted
