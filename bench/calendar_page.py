"""The public calendar with 500 upcoming events: list-page throughput against a trivial view.

Starts gunicorn on 127.0.0.1 against PostgreSQL (see harness.py), creates 500 published
upcoming events (1-5 sessions, topics), then fires `--requests` GETs of /events/ (page 1 of
20 events, and a filtered page) and of /healthz from `--clients` concurrent clients, `--runs`
times in turn (trivial, page 1, filtered page), so each run's ratio compares measurements taken
seconds apart on this shared machine. Prints JSON: requests/s, p50/p99, each run's ratio to
the trivial view and their median, and the number of queries a calendar page makes with 50 and
with 500 events (it must not grow). The clients send no cookies: anonymous visitors.

    .venv/bin/python bench/calendar_page.py [--runs 3] [--clients 20] [--requests 600]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fire, gunicorn, make_agency, server_arguments, setup_django


def main() -> None:
    parser = server_arguments(__doc__)
    parser.set_defaults(clients=20, requests=600)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    env = setup_django()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bokbro.events.models import Topic
    from bokbro.events.services.events import SessionData, event_create

    agency, municipality = make_agency()
    topics = [Topic.objects.create(agency=agency, name=f"Tema {i}") for i in range(5)]
    kinds = ["course", "course_series", "conference", "network_meeting", "webinar"]

    def make(count: int, offset: int = 0) -> None:
        now = timezone.now()
        for i in range(offset, offset + count):
            start = now + timedelta(days=1 + i % 300, hours=i % 7)
            event_create(
                actor=None,
                agency=agency,
                kind=kinds[i % 5],
                title=f"Arrangement {i}",
                status="published",
                summary="Et arrangement for bibliotekansatte i regionen.",
                capacity=30,
                municipality=municipality,
                sessions=[
                    SessionData(
                        starts_at=start + timedelta(days=7 * s),
                        ends_at=start + timedelta(days=7 * s, hours=2),
                    )
                    for s in range(1 + i % 5)
                ],
                topics=[topics[i % 5]],
            )

    def queries(url: str) -> int:
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make(50)
    queries_50 = queries("/events/")
    make(args.events - 50, offset=50)
    queries_all = queries("/events/")

    page_1, filtered = "/events/", "/events/?kind=course&page=3"
    runs = []
    with gunicorn(env, args.workers, args.threads) as port:
        fire(port, args.clients, [("GET", page_1, None), ("GET", filtered, None)] * 25)  # warm up
        for _run in range(args.runs):
            trivial = fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
            calendar = fire(port, args.clients, [("GET", page_1, None)] * args.requests)
            filtered_page = fire(port, args.clients, [("GET", filtered, None)] * args.requests)
            runs.append(
                {
                    "trivial_view": trivial,
                    "calendar_page_1": calendar,
                    "calendar_filtered_page_3": filtered_page,
                    "ratio_to_trivial_view": round(
                        calendar["per_second"] / trivial["per_second"], 2
                    ),
                }
            )
    print(
        json.dumps(
            {
                "events": args.events,
                "clients": args.clients,
                "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                "runs": runs,
                "ratios_to_trivial_view": [r["ratio_to_trivial_view"] for r in runs],
                "ratio_to_trivial_view_median": statistics.median(
                    r["ratio_to_trivial_view"] for r in runs
                ),
                "queries_per_page_with_50_events": queries_50,
                "queries_per_page_with_all_events": queries_all,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
