"""The booking rule in plain SQL: one batch of statements, in one transaction, that both
databases run. `services.booking_create` and `services.booking_hold` check the rules that do
not depend on other bookings first; then

    held = hold(booking, starts_on=…, ends_on=…)  # booking: unsaved, its fields the input

1. `LOCK`: the title's row lock (PostgreSQL: `FOR UPDATE`; SQLite: the transaction is
   `BEGIN IMMEDIATE`, which serialises writers). Every booking, cancellation, release, check-in
   and change of a set of the title takes it, so they happen one at a time per title;
2. `INSERT`: decide and insert, in one `INSERT … SELECT … WHERE`: the booking row if the copies
   owned less the copies booked on the busiest day of the window leave enough (the busiest day
   is the window's first day or a day a booking starts), else no row;
3. `AUDIT`: the audit entry `classsets.booking.created` of the row just inserted (found by its
   token; none when nothing was inserted), its target named as `str(booking)` names it;
4. `COUNT`: the copies owned and booked on the busiest day, read under the lock (the free
   quantity a refusal names);
5. `QUEUE`: the title's `notices_queued` flag set, if the row was inserted and the flag was not
   set yet: the booking's mail waits in its row (`notice`, written by `INSERT`) and this
   answer tells the caller to queue the task that sends the title's pending mails
   (classsets/notices.py).

Each statement after the lock runs after it is granted, so on PostgreSQL (READ COMMITTED: a
fresh snapshot per statement) it counts every booking committed before. No statement needs an
answer from the one before it in Python, so on PostgreSQL the batch goes as **one message**
of prepared statements (core/prepared.py; the simple query protocol: one implicit transaction,
committed at its end or rolled back whole at its first error; inside a caller's transaction, in
a savepoint). PostgreSQL has all of it
before it takes the lock and holds the lock only while it runs three short statements and
commits — never while a gunicorn thread waits for the CPU (or for its process's GIL, which
other threads hold for up to 5 ms at a time) to send the next statement.

Why (docs/performance.md, "2026-12-06 (session 12)"): with the lock taken by the first of six
ORM statements, a storm of 200 API bookings for the last 30 copies ran 99 requests/s against
667 for `/healthz` (0.15) while in-process a request cost 2.1 ms of CPU: the ~35 requests that
reached the lock were served one after the other at tens of milliseconds each. The events'
registration found the same (docs/concurrency.md).

Every insert names its columns: `test_hold_sql.py` fails when a field is added to `Booking` or
`AuditEntry` without a value here. The databases differ in the fragments of `_DIALECT`.
"""

from __future__ import annotations

import functools
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from bokbro.classsets.models import HOLDING, Booking, BookingStatus
from bokbro.core import prepared

LOCK = "SELECT t.id FROM classsets_title t WHERE t.id = %(title)s {for_update}"

_HOLDING = "b.status IN (%(held)s, %(confirmed)s, %(out)s)"

OWNED = "(SELECT COALESCE(SUM(s.copies), 0) FROM classsets_classset s WHERE s.title_id = %(title)s)"

# Copies booked on the window's busiest day: the count only rises on a day a booking starts,
# so the busiest day is the first day of the window or such a day within it.
BUSIEST = f"""(SELECT COALESCE(MAX((
      SELECT COALESCE(SUM(b.copies), 0) FROM classsets_booking b
       WHERE b.title_id = %(title)s AND {_HOLDING}
         AND b.starts_on <= p.day AND b.ends_on >= p.day)), 0)
   FROM (SELECT {{day}} AS day
          UNION SELECT b.starts_on FROM classsets_booking b
           WHERE b.title_id = %(title)s AND {_HOLDING}
             AND b.starts_on > %(starts_on)s AND b.starts_on <= %(ends_on)s) p)"""  # noqa: S608 (names and fragments from this module, values as parameters)

INSERT = f"""
INSERT INTO classsets_booking (
    agency_id, title_id, copies, starts_on, ends_on, school_id, class_name, contact_name,
    contact_email, delivery_library_id, status, token, basket_id, held_until, confirmed_at,
    copies_out, copies_back, checked_out_at, checked_in_at, delivery_reminded_at,
    return_reminded_at, overdue_mailed_at, created_at, anonymised, notice)
SELECT %(agency)s, %(title)s, CAST(%(copies)s AS SMALLINT), %(starts_on)s, %(ends_on)s, %(school)s,
       %(class_name)s, %(contact_name)s, %(contact_email)s, %(library)s, %(held)s, %(token)s,
       NULL, %(held_until)s, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, %(created_at)s,
       FALSE, %(notice)s
 WHERE {OWNED} - {BUSIEST} >= %(copies)s
RETURNING id"""

AUDIT = """
INSERT INTO core_auditentry (
    created_at, agency_id, actor_id, action, target_type, target_id, target_repr, data)
SELECT b.created_at, b.agency_id, NULL, 'classsets.booking.created', 'classsets.booking',
       CAST(b.id AS {text}),
       SUBSTR(t.title || ' × ' || CAST(b.copies AS {text}), 1, 300),
       {json_object}('copies', b.copies)
  FROM classsets_booking b JOIN classsets_title t ON t.id = b.title_id
 WHERE b.token = %(token)s"""

COUNT = f"SELECT {OWNED}, {BUSIEST}"

# The outbox's flag: the first booking since the title's sending task last ran queues it.
QUEUE = """
UPDATE classsets_title SET notices_queued = TRUE
 WHERE id = %(title)s AND NOT notices_queued
   AND EXISTS (SELECT 1 FROM classsets_booking b WHERE b.token = %(token)s)
RETURNING id"""

_DIALECT = {
    "postgresql": {
        "for_update": "FOR UPDATE",
        "text": "text",
        "json_object": "jsonb_build_object",
        "day": "CAST(%(starts_on)s AS date)",
    },
    "sqlite": {
        "for_update": "",
        "text": "TEXT",
        "json_object": "json_object",
        "day": "%(starts_on)s",
    },
}


@functools.cache
def statements(vendor: str) -> tuple[str, ...]:
    dialect = _DIALECT[vendor]
    return tuple(sql.format(**dialect) for sql in (LOCK, INSERT, AUDIT, COUNT, QUEUE))


@dataclass(frozen=True)
class Held:
    """What the batch answered: the new row's id (None when the copies were short), the
    copies owned and booked on the window's busiest day, under the lock, and whether this
    booking is the first since the title's sending task last ran (the caller queues it)."""

    pk: int | None
    owned: int
    booked: int
    queue_notices: bool = False

    @property
    def free(self) -> int:
        return max(self.owned - self.booked, 0)


def hold(booking: Booking) -> Held:
    """Run the batch for `booking` (unsaved, status held; its fields are the input). On success
    `booking` becomes the inserted row."""
    assert booking.status == BookingStatus.HELD and booking.created_at is not None
    ops = connection.ops
    params: dict[str, Any] = {
        "title": booking.title_id,
        "agency": booking.agency_id,
        "copies": booking.copies,
        "starts_on": ops.adapt_datefield_value(booking.starts_on),
        "ends_on": ops.adapt_datefield_value(booking.ends_on),
        "school": booking.school_id,
        "class_name": booking.class_name,
        "contact_name": booking.contact_name,
        "contact_email": booking.contact_email,
        "library": booking.delivery_library_id,
        "token": booking.token,
        "held_until": ops.adapt_datetimefield_value(booking.held_until),
        "created_at": ops.adapt_datetimefield_value(booking.created_at),
        "notice": booking.notice,
        **{status: status for status in (str(s) for s in HOLDING)},
    }
    inserted, count, queue = _run(statements(connection.vendor), params)
    held = Held(inserted, int(count[0]), int(count[1]), queue_notices=queue)
    if held.pk is not None:
        booking.pk = held.pk
        booking._state.adding = False
        booking._state.db = connection.alias
    return held


def _run(batch: tuple[str, ...], params: dict[str, Any]) -> tuple[Any, Any, bool]:
    """Run the statements in one transaction; answer the rows of `INSERT` and `COUNT`, and
    whether `QUEUE` set the flag."""
    setting = ""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One message, one implicit transaction (module docstring); nothing to wrap. Its commit
        # does not wait for the disk (`synchronous_commit` off for this transaction only), so
        # the lock is not held for the flush either (3.2-3.4 ms a commit here, measured
        # 2026-12-06). A booking is on disk before anyone is told of it all the same: see
        # `_wait_for_disk`. A refusal wrote nothing.
        context: Any = nullcontext()
        setting = "SET LOCAL synchronous_commit TO OFF"
    else:
        # SQLite: the transaction begins IMMEDIATE, so this process holds the write lock;
        # inside a caller's transaction, a savepoint (and the caller's commit waits as usual).
        context = transaction.atomic()
    with context, connection.cursor() as cursor:
        _lock, inserted, _audit, count, queue = prepared.run(cursor, batch, params, setting=setting)
        if setting and inserted:
            _wait_for_disk(cursor)
    return (inserted[0][0] if inserted else None), count[0], bool(queue)


def _wait_for_disk(cursor: Any) -> None:
    """Wait until the batch's commit is on disk, after the lock is let go. PostgreSQL flushes
    its log at a commit only for a transaction that took a transaction id *and* wrote to the
    log; this one does both, and nothing else: a transactional logical-decoding message (a few
    bytes in the log, nothing in any table). With `synchronous_commit` on (the default again)
    its commit waits until the log is flushed up to it, and so past the batch's commit (the log
    is written in order). So the API answers 201, and the form shows the booking, only once a
    crash can no longer lose it; commits waiting at the same moment share one flush. (A bare
    `SELECT pg_current_xact_id()` takes an id but writes nothing, and does not wait: measured,
    and `test_outbox.py` checks the flush.)"""
    cursor.execute("SELECT pg_logical_emit_message(true, 'bokbro', 'booking held')")
