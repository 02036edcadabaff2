"""The registration rule: one implementation, in plain SQL, that both databases run.

`services.registration_create` checks what it can before (eligibility, terms, the event's
state as read) and then registers with one batch of four to six statements in one transaction:

1. `LOCK`: take the event's row lock (PostgreSQL: `FOR UPDATE`; SQLite: the transaction is
   `BEGIN IMMEDIATE`) and answer whether registration is still open and whether a task that
   sends the event's notices is already queued;
2. `INSERT_REGISTRATION`: decide and insert — a seat if the event and the library's quota have
   one (confirmed, or pending when a manager approves), else the waiting list at
   `waiting_counter + 1`, else nothing (full); the e-mail to send goes into the outbox
   (`notice`);
3. `COUNT_ON_EVENT`: count it on the event (`seats_taken` or `waiting_counter`) and mark a
   sending task as queued (`notices_queued`);
4. `COUNT_ON_QUOTA`: count the seat on the library's quota row (only with a library);
5. `COUNT_ON_POOL`: count a group's kept seat on its row (only with a library);
6. `AUDIT`: the audit entry `events.registration.created`.

Each statement after the first reads what the ones before it wrote — the new registration is
found by its token — so no value has to come back to Python in between. That is what makes it
fast on PostgreSQL: the batch goes as one message, one implicit transaction, so PostgreSQL has
all of it before it takes the event's row lock, and holds the lock only while it runs the
statements (prepared once per connection: core/prepared.py) and commits — never while a
Python thread waits for the CPU to send the next one (docs/concurrency.md, docs/performance.md).
On SQLite the same statements run one after the other in an IMMEDIATE transaction; inside a
caller's transaction, in a savepoint.

Every statement names its columns. A field added to `Registration` or `AuditEntry` fails
`test_registration_rule.py::test_the_inserts_name_every_column` until it is added here.
The statements differ between the databases only in the four fragments of `_DIALECT`.
"""

from __future__ import annotations

import functools
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

from bokbro.core import prepared
from bokbro.events.models import EventStatus, Registration, RegistrationStatus

UNLIMITED_QUOTA = 2**31 - 1

# The same rule as `Event.registration_state() == "open"`, checked again under the lock
# (`test_registration_rule.py` runs every state through both).
OPEN = """(NOT %(check_open)s OR (
        e.status = %(published)s
        AND (e.registration_opens_at IS NULL OR e.registration_opens_at <= %(now)s)
        AND (e.registration_closes_at IS NULL OR %(now)s < e.registration_closes_at)
        AND %(now)s < e.ends_at))"""

LOCK = """
SELECT e.notices_queued, {open}
  FROM events_event e
 WHERE e.id = %(event)s {for_update}"""

# A seat: the event has one and so has the library (no quota, no library, or fewer taken than
# the quota), and it is not kept for a group the person is not in: while the event keeps seats
# for groups (until `group_seats_until`), a seat comes from the person's group while it has one,
# else from the open seats, which are those no group keeps (`seats_taken + reserved < capacity`,
# `reserved` being the groups' unused seats). Otherwise the waiting list, if the event has one;
# otherwise no row (full). The same rule in Python: services/seats.py (`seat_for`).
# Someone whose address is not known to be theirs (`unverified`: registering without signing
# in) on an event that asks for it (`confirm_by_email`) gets the seat held (`held`), or the
# waiting list, until `hold_until`: confirmed by the link in the mail, or released.
INSERT_REGISTRATION = """
INSERT INTO events_registration (
    event_id, name, email, library_id, organisation, user_id, registered_by_id,
    answers, accepted_binding_terms, language, token, anonymised,
    offer_expires_at, cancelled_at, address_refused_at, address_refusal, hold_expires_at,
    status, holds_seat, seat_pool_id, waiting_position, created_at, confirmed_at, notice)
SELECT d.id, %(name)s, %(email)s, %(library)s, %(organisation)s, %(user)s, %(registered_by)s,
       %(answers)s, %(accepted_binding_terms)s, %(language)s, %(token)s, FALSE,
       NULL, NULL, NULL, '', CASE WHEN d.hold THEN {hold_until} END,
       d.status, d.status <> %(waiting)s,
       CASE WHEN d.in_pool AND d.status <> %(waiting)s THEN d.pool_id END,
       CASE WHEN d.status = %(waiting)s THEN d.waiting_counter + 1 END,
       d.at, CASE WHEN d.status = %(confirmed)s THEN d.at END, d.status
  FROM (
    SELECT x.id, x.waiting_counter, x.at, x.pool_id, x.hold,
           x.reserving AND p.id IS NOT NULL AND p.taken < p.capacity AS in_pool,
           CASE
             WHEN (x.capacity IS NULL OR x.seats_taken < x.capacity)
              AND (COALESCE(x.quota_per_library, 0) = 0 OR CAST(%(library)s AS BIGINT) IS NULL
                   OR COALESCE((SELECT q.taken FROM events_libraryquotause q
                                 WHERE q.event_id = x.id AND q.library_id = %(library)s), 0)
                      < x.quota_per_library)
              AND (NOT x.reserving
                   OR (p.id IS NOT NULL AND p.taken < p.capacity)
                   OR x.capacity IS NULL OR x.seats_taken + x.reserved < x.capacity)
             THEN CASE WHEN x.hold THEN %(held)s
                       WHEN x.manager_approval THEN %(pending)s ELSE %(confirmed)s END
             WHEN x.waiting_list THEN %(waiting)s
           END AS status
      FROM (
        SELECT e.id, e.waiting_counter, e.capacity, e.seats_taken, e.quota_per_library,
               e.manager_approval, e.waiting_list, {now} AS at,
               (e.confirm_by_email AND %(unverified)s) AS hold,
               (e.group_seats_until IS NULL OR {now} < e.group_seats_until) AS reserving,
               (SELECT COALESCE(SUM(sp.capacity - sp.taken), 0) FROM events_seatpool sp
                 WHERE sp.event_id = e.id) AS reserved,
               (SELECT sp.id FROM events_seatpool sp
                 WHERE sp.event_id = e.id AND CAST(%(library)s AS BIGINT) IS NOT NULL
                   AND (EXISTS (SELECT 1 FROM events_seatpool_libraries sl
                                 WHERE sl.seatpool_id = sp.id AND sl.library_id = %(library)s)
                        OR EXISTS (SELECT 1 FROM events_seatpool_municipalities sm
                                     JOIN directory_library l
                                       ON l.municipality_id = sm.municipality_id
                                    WHERE sm.seatpool_id = sp.id AND l.id = %(library)s))
                 ORDER BY sp.id LIMIT 1) AS pool_id
          FROM events_event e
         WHERE e.id = %(event)s AND {open}
      ) x
      LEFT JOIN events_seatpool p ON p.id = x.pool_id
  ) d
 WHERE d.status IS NOT NULL
RETURNING id, status, waiting_position, created_at, seat_pool_id, hold_expires_at"""

COUNT_ON_EVENT = """
UPDATE events_event
   SET seats_taken = seats_taken + CASE WHEN r.holds_seat THEN 1 ELSE 0 END,
       waiting_counter = COALESCE(r.waiting_position, waiting_counter),
       notices_queued = TRUE
  FROM events_registration r
 WHERE r.token = %(token)s AND events_event.id = r.event_id"""

COUNT_ON_QUOTA = """
INSERT INTO events_libraryquotause (event_id, library_id, quota, taken)
SELECT r.event_id, r.library_id, COALESCE(NULLIF(e.quota_per_library, 0), %(unlimited)s), 1
  FROM events_registration r JOIN events_event e ON e.id = r.event_id
 WHERE r.token = %(token)s AND r.holds_seat
    ON CONFLICT (event_id, library_id)
    DO UPDATE SET taken = events_libraryquotause.taken + 1"""

COUNT_ON_POOL = """
UPDATE events_seatpool
   SET taken = taken + 1
  FROM events_registration r
 WHERE r.token = %(token)s AND events_seatpool.id = r.seat_pool_id"""

AUDIT = """
INSERT INTO core_auditentry (
    created_at, agency_id, actor_id, action, target_type, target_id, target_repr, data)
SELECT r.created_at, %(agency)s, %(actor)s, 'events.registration.created', %(target_type)s,
       %(target_id)s, %(target_repr)s, {json_object}('registration_id', r.id, 'status', r.status)
  FROM events_registration r
 WHERE r.token = %(token)s"""

# What differs between the databases. `now` is the moment the lock was granted, so that
# arrival order is the order of the lock: PostgreSQL's clock at that statement; on SQLite
# Python's clock, read once the transaction (which holds the write lock) has begun.
_DIALECT = {
    "postgresql": {
        "for_update": "FOR UPDATE",
        "now": "clock_timestamp()",
        "json_object": "jsonb_build_object",
        "hold_until": "CAST(%(hold_until)s AS timestamptz)",
    },
    "sqlite": {
        "for_update": "",
        "now": "%(locked_at)s",
        "json_object": "json_object",
        "hold_until": "%(hold_until)s",
    },
}


@functools.cache
def statements(vendor: str, *, with_quota: bool) -> tuple[str, ...]:
    dialect = _DIALECT[vendor]
    batch = [LOCK, INSERT_REGISTRATION, COUNT_ON_EVENT]
    if with_quota:
        # Quotas and groups are a library's: without a library neither can apply.
        batch += [COUNT_ON_QUOTA, COUNT_ON_POOL]
    batch.append(AUDIT)
    return tuple(sql.format(open=OPEN, **dialect) for sql in batch)


@dataclass(frozen=True)
class Inserted:
    pk: int
    status: str
    waiting_position: int | None
    created_at: datetime
    seat_pool_id: int | None = None
    hold_expires_at: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """What the batch answered. `inserted` is None when nothing was inserted: then `open` says
    whether that was because registration had closed (else the event was full)."""

    found: bool
    open: bool
    queue_notices: bool
    inserted: Inserted | None = None


def register(
    *,
    event_id: int,
    registration: Registration,
    agency_id: int,
    actor_id: int | None,
    target_repr: str,
    check_open: bool,
    now: datetime,
    unverified: bool = False,
    hold_until: datetime | None = None,
) -> Outcome:
    """Run the batch for `registration` (not saved yet; its fields are the input). Raises
    IntegrityError when the person already has an active registration for the event (the
    partial unique index), with nothing written."""
    answers = cast(models.JSONField[Any], Registration._meta.get_field("answers"))
    params: dict[str, Any] = {
        "event": event_id,
        "name": registration.name,
        "email": registration.email,
        "library": registration.library_id,
        "organisation": registration.organisation,
        "user": registration.user_id,
        "registered_by": registration.registered_by_id,
        "answers": answers.get_db_prep_save(registration.answers, connection),
        "accepted_binding_terms": registration.accepted_binding_terms,
        "language": registration.language,
        "token": registration.token,
        "check_open": check_open,
        "now": connection.ops.adapt_datetimefield_value(now),
        "published": EventStatus.PUBLISHED.value,
        "confirmed": RegistrationStatus.CONFIRMED.value,
        "pending": RegistrationStatus.PENDING_APPROVAL.value,
        "held": RegistrationStatus.HELD.value,
        "unverified": unverified,
        "hold_until": connection.ops.adapt_datetimefield_value(hold_until),
        "waiting": RegistrationStatus.WAITING.value,
        "agency": agency_id,
        "actor": actor_id,
        "target_type": "events.event",
        "target_id": str(event_id),
        "target_repr": target_repr[:300],
        "unlimited": UNLIMITED_QUOTA,
    }
    batch = statements(connection.vendor, with_quota=registration.library_id is not None)
    lock_row, inserted = _run(batch, params)
    if lock_row is None:
        return Outcome(found=False, open=False, queue_notices=False)
    notices_queued, is_open = lock_row
    if inserted is not None:
        pk, status, position, created_at, pool, hold = inserted
        row = Inserted(
            pk,
            status,
            position,
            _datetime_from_db(created_at),
            pool,
            _datetime_from_db(hold) if hold is not None else None,
        )
        return Outcome(found=True, open=True, queue_notices=not notices_queued, inserted=row)
    return Outcome(found=True, open=bool(is_open), queue_notices=False)


def _run(batch: tuple[str, ...], params: dict[str, Any]) -> tuple[Any, Any]:
    """Run the statements in one transaction; answer the row of each of the first two (None
    where there is none)."""
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL: the statements go as one message of prepared statements (core/prepared.py;
    # the simple query protocol: one implicit transaction for the whole message, committed at
    # its end or rolled back whole at its first error); inside a caller's transaction, in a
    # savepoint. PostgreSQL has the whole batch before it takes the lock, so the lock is never
    # held while a Python thread waits for the CPU to send the rest, and it does not parse and
    # plan the statements again while it holds the lock either.
    with (
        transaction.atomic() if not postgresql or connection.in_atomic_block else nullcontext(),
        connection.cursor() as cursor,
    ):
        if not postgresql:
            # SQLite: the transaction began IMMEDIATE, so this process holds the write lock.
            params["locked_at"] = connection.ops.adapt_datetimefield_value(timezone.now())
        lock, inserted, *_counts = prepared.run(cursor, batch, params)
    return (lock[0] if lock else None), (inserted[0] if inserted else None)


def _datetime_from_db(value: Any) -> datetime:
    field = cast(models.DateTimeField[Any, Any], Registration._meta.get_field("created_at"))
    column = field.get_col(Registration._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value
