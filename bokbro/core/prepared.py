"""Plain SQL statements sent as one message, each prepared once per PostgreSQL connection.

    first_rows, second_rows = run(cursor, [FIRST, SECOND], {"title": 7, …})  # %(title)s

On PostgreSQL the statements go as one message of `EXECUTE`s (the simple query protocol: one
implicit transaction when the connection is in autocommit, else part of the caller's), after a
`PREPARE` of those this connection has not prepared yet. PostgreSQL then neither parses nor
plans them again: for the class sets' booking read (classsets/facts.py) planning was 0.54 ms of
the server's CPU against 0.28 ms running it (`EXPLAIN (ANALYZE, SUMMARY)`, 2026-12-06) — on two
shared cores, the server's CPU is the web processes' too. On other databases each statement
runs in turn with the same parameters.

A parameter's type comes from where it is used; where nothing says (a bare `SELECT %(day)s`),
write a CAST. Prepared statements live in the server session: behind a transaction-mode pooler
(PgBouncer) this would need session pooling; Bokbro connects to PostgreSQL directly
(docs/concurrency.md).
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Sequence
from typing import Any

from django.db import connection

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# The statements each PostgreSQL connection has prepared (a new connection prepares again).
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _name(sql: str) -> str:
    return "bokbro_" + hashlib.sha256(sql.encode()).hexdigest()[:16]


@functools.cache
def _parameters(sql: str) -> list[str]:
    return list(dict.fromkeys(_PLACEHOLDER.findall(sql)))


@functools.cache
def _prepare(sql: str) -> str:
    position = {name: i for i, name in enumerate(_parameters(sql), start=1)}
    return f"PREPARE {_name(sql)} AS " + _PLACEHOLDER.sub(lambda m: f"${position[m[1]]}", sql)


@functools.cache
def _execute(sql: str) -> str:
    arguments = ", ".join(f"%({name})s" for name in _parameters(sql))
    return f"EXECUTE {_name(sql)}({arguments})" if arguments else f"EXECUTE {_name(sql)}"


def run(
    cursor: Any, statements: Sequence[str], params: dict[str, Any], *, setting: str = ""
) -> list[Any]:
    """Run the statements; answer each one's rows (an empty list for a statement without).
    `setting`, PostgreSQL only: a `SET LOCAL …` sent first in the same message (it cannot be
    prepared), for the message's own transaction."""
    if connection.vendor != "postgresql":
        answers = []
        for sql in statements:
            cursor.execute(sql, params)
            answers.append(cursor.fetchall() if cursor.description else [])
        return answers
    prepared = _prepared.setdefault(connection.connection, set())
    missing = [sql for sql in statements if sql not in prepared]
    if missing:
        cursor.execute(";\n".join(_prepare(sql) for sql in missing))
        prepared.update(missing)
    message = ";\n".join(_execute(sql) for sql in statements)
    if setting:
        assert setting.startswith("SET LOCAL ") and "%" not in setting, setting
        message = f"{setting};\n{message}"
    cursor.execute(message, params)
    if setting:
        cursor.nextset()
    answers = []
    for _sql in statements:
        answers.append(cursor.fetchall() if cursor.description else [])
        cursor.nextset()
    return answers
