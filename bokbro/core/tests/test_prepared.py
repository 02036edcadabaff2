"""Plain statements sent as one message, prepared once per PostgreSQL connection
(core/prepared.py): each statement's rows come back in order, the first time and again."""

from __future__ import annotations

from typing import Any

from django.db import connection

from bokbro.core import prepared

FIRST = "SELECT %(a)s + 1, %(b)s"
NOTHING = "SELECT 1 WHERE 1 = 0"
SECOND = "SELECT %(a)s * 2"


def test_each_statement_answers_its_rows_in_order(db: Any) -> None:
    params = {"a": 20, "b": "x"}
    for _ in range(2):  # on PostgreSQL the second run executes what the first prepared
        with connection.cursor() as cursor:
            answers = prepared.run(cursor, [FIRST, NOTHING, SECOND], params)
        assert [[tuple(r) for r in rows] for rows in answers] == [[(21, "x")], [], [(40,)]]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'bokbro_%%'"
            )
            assert cursor.fetchone()[0] >= 3
