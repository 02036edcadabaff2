"""The "sent" marks of one sending loop, each committed on its own, without waiting for its answer.

A loop marks a row sent once the mail server accepted the message (sending.py). Waiting for
PostgreSQL's answer to that `UPDATE` was a fifth of a loop's time (docs/performance.md,
2026-12-06: cProfile of one loop, 3.1 s of 14.9 s in `mark_sent`), spent idle. On PostgreSQL,
`Marks.add` therefore sends the statement and returns; its answer is read by the next `add`
or by `wait()`, so the round trip overlaps the next message's SMTP exchange. Only one mark is
ever in flight.

Why the guarantee still holds (docs/newsletter.md, "The sending guarantee"):
- The statement is whole in the kernel's buffer when `add` returns (it flushes), and the
  connection is in autocommit: PostgreSQL runs and commits it even if this process is killed
  at once. A kill closes the socket after the bytes already queued (a reset, which would drop
  them, happens only when an unread answer waits here, that is when the server already ran it).
  `test_kill_resume.py` kills a worker right after a mark and finds no duplicate.
- A mark that fails is reported by the next `wait()` (an error, logged by the loop): its row
  stays claimed, its lease runs out and the message is sent again. At least once, as before.
- Nothing else may use the connection while a mark is in flight: psycopg would refuse ("another
  command is already in progress"). The loop calls `wait()` before every other statement
  (renewing a lease, a failure mark, loading an issue, the next claim).

SQLite (one writer, no network): the mark runs at once, as a plain statement.
"""

from __future__ import annotations

import select
from datetime import datetime

from django.db import DatabaseError, connection
from psycopg import pq

from bokbro.newsletter.models import Delivery, DeliveryStatus

# One statement per accepted message. (The table name comes from the model; the values are
# parameters.)
MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, "  # noqa: S608
    "attempts = attempts + 1, claimed_at = NULL, claimed_by = '', error = '' WHERE id = %s"
)
# The same for libpq, which numbers its parameters.
_MARK_SENT_PQ = MARK_SENT.replace("%s", "$1", 1).replace("%s", "$2", 1).replace("%s", "$3", 1)


class Marks:
    """At most one "sent" mark in flight on the default connection."""

    def __init__(self) -> None:
        self.in_flight: int | None = None

    def add(self, pk: int, *, at: datetime) -> None:
        """Mark row `pk` sent at `at`. On PostgreSQL the statement is on its way to the server
        when this returns (it runs and commits there even if this process dies now); its
        answer is read by the next call."""
        self.wait()
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(MARK_SENT, [DeliveryStatus.SENT, at, pk])
            return
        connection.ensure_connection()
        pgconn = connection.connection.pgconn
        pgconn.send_query_params(
            _MARK_SENT_PQ.encode(),
            [DeliveryStatus.SENT.encode(), at.isoformat().encode(), str(pk).encode()],
        )
        self.in_flight = pk
        while pgconn.flush():  # the rest of the statement, once the socket takes it
            select.select([], [pgconn.socket], [])

    def wait(self) -> None:
        """Read the answer of the mark in flight, if any; raise if it failed."""
        if self.in_flight is None:
            return
        pk, self.in_flight = self.in_flight, None
        pgconn = connection.connection.pgconn
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        error = ""
        while (result := pgconn.get_result()) is not None:
            if result.status != pq.ExecStatus.COMMAND_OK:
                error = (result.error_message or b"").decode(errors="replace").strip()
        if error:
            raise DatabaseError(f"Marking delivery {pk} sent failed: {error}")
