"""The two hand-written SQL statements on events' hot paths against the ORM query that does the
same: the API's event read for a registration (events/api.py) and the calendar's fingerprint
(events/views.py `calendar_version`). Each keeps its SQL only while this shows it pays.

    .venv/bin/python bench/sql_vs_orm.py [--calls 2000] [--repeat 5]

Prints per call, medians (and ranges) of `--repeat` rounds: CPU time of this process (what a
web worker spends) and wall time (including the database). Uses BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bokbro_bench), which it empties; 500 upcoming events.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import make_agency, setup_django


def measure(function: Callable[[], Any], calls: int, repeat: int) -> dict[str, Any]:
    cpu, wall = [], []
    for _ in range(repeat):
        started_cpu, started = time.process_time(), time.perf_counter()
        for _ in range(calls):
            function()
        cpu.append((time.process_time() - started_cpu) / calls * 1000)
        wall.append((time.perf_counter() - started) / calls * 1000)
    return {
        "cpu_ms": round(statistics.median(cpu), 3),
        "cpu_ms_range": [round(min(cpu), 3), round(max(cpu), 3)],
        "wall_ms": round(statistics.median(wall), 3),
        "wall_ms_range": [round(min(wall), 3), round(max(wall), 3)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    from datetime import timedelta

    from django.db import connection
    from django.db.models import Aggregate, Count, Exists, F, Max, OuterRef, Q, TextField
    from django.db.models.functions import Cast
    from django.test import RequestFactory
    from django.utils import timezone

    from bokbro.events.api import REGISTRATION_READS, _event_for_registration
    from bokbro.events.models import Event, EventStatus, Question
    from bokbro.events.services.events import SessionData, event_create
    from bokbro.events.views.public import calendar_version

    agency, _municipality = make_agency()
    start = timezone.now() + timedelta(days=30)
    events = [
        event_create(
            actor=None,
            agency=agency,
            kind="course",
            title=f"E{i}",
            status="published",
            capacity=10,
            sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=3))],
        )
        for i in range(500)
    ]
    Event.objects.filter(pk__in=[e.pk for e in events[::7]]).update(seats_taken=10)
    event = events[0]
    request = RequestFactory().post("/", HTTP_HOST="127.0.0.1")
    request.agency = agency  # type: ignore[attr-defined]  # set by AgencyMiddleware

    def event_read_sql() -> Any:
        return _event_for_registration(request, event.pk)

    def event_read_orm() -> Any:
        required = Question.objects.filter(event=OuterRef("pk"), required=True)
        found = (
            Event.objects.filter(
                pk=event.pk, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
            )
            .only(*REGISTRATION_READS)
            .annotate(has_required_questions=Exists(required))
            .first()
        )
        if found is None or found.agency_id != agency.pk:
            raise LookupError
        return found

    class JoinedIds(Aggregate):
        function = "string_agg" if connection.vendor == "postgresql" else "group_concat"
        template = (
            "%(function)s(%(expressions)s, ',')"
            if connection.vendor == "postgresql"
            else "%(function)s(%(expressions)s)"
        )
        output_field = TextField()

    def fingerprint_orm() -> str:
        through = Event.co_organisers.through.objects.filter(agency=agency).values("event_id")
        figures = Event.objects.filter(
            Q(agency=agency) | Q(pk__in=through),
            status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
            ends_at__gte=timezone.now(),
        ).aggregate(
            count=Count("pk"),
            changed=Max("updated_at"),
            full=JoinedIds(
                Cast("pk", TextField()),
                filter=Q(capacity__isnull=False, seats_taken__gte=F("capacity")),
            ),
        )
        full = ",".join(sorted((figures["full"] or "").split(","), key=lambda s: int(s or 0)))
        changed = figures["changed"]
        return f"{figures['count']}-{changed.timestamp() if changed else 0}-{full}"

    assert fingerprint_orm() == calendar_version(agency), (
        fingerprint_orm(),
        calendar_version(agency),
    )
    assert event_read_orm().pk == event_read_sql().pk
    results = {
        "database": connection.vendor,
        "calls": args.calls,
        "repeat": args.repeat,
        "load_average": os.getloadavg(),
        "api_event_read": {
            "plain_sql": measure(event_read_sql, args.calls, args.repeat),
            "orm": measure(event_read_orm, args.calls, args.repeat),
        },
        "calendar_fingerprint_500_events": {
            "plain_sql": measure(lambda: calendar_version(agency), args.calls, args.repeat),
            "orm": measure(fingerprint_orm, args.calls, args.repeat),
        },
    }
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    Event.objects.all().delete()


if __name__ == "__main__":
    main()
