"""The morning a popular course opens: 1,000 registrations at once for a 40-seat event.

Starts gunicorn on 127.0.0.1 against PostgreSQL, fires the registrations from `--clients`
concurrent HTTP clients (keep-alive connections, one thread each) at the JSON API, and measures
in the same run a trivial view (/healthz, one SELECT 1) on the same server. Prints JSON:
registrations/s, p50/p99 latency, confirmed and waiting counts per run, the trivial view's
throughput and the ratio.

    .venv/bin/python bench/registration_burst.py [--runs 3] [--clients 50] [--requests 1000]
        [--groups]

With `--groups` every registrant names a library (half Fredrikstad's, half Sarpsborg's) and
the event keeps half its seats for Fredrikstad (events/services/seats.py), so the batch runs
its library statements (the quota row, the group's count) and the group rule.

Needs PostgreSQL; BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bokbro_bench)
names a database it may empty; it is created if missing.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fire, gunicorn, make_agency, server_arguments, setup_django


def main() -> None:
    parser = server_arguments(__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seats", type=int, default=40)
    parser.add_argument("--groups", action="store_true")
    args = parser.parse_args()

    env = setup_django()
    # The 1,000 people of the burst all come from 127.0.0.1 here: the rate limits (per client
    # address, and per address and event) stay on, so their two statements per registration
    # are measured, with room for every request of every run.
    env["REGISTRATION_RATE_PER_CLIENT"] = env["REGISTRATION_RATE_PER_CLIENT_AND_EVENT"] = (
        f"{args.requests * args.runs + 1}/3600"
    )
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from bokbro.events.models import Event, Registration
    from bokbro.events.services.events import SessionData, event_create

    agency, municipality = make_agency()
    from bokbro.directory.models import Library, Municipality

    fredrikstad = Library.objects.get(municipality=municipality)
    sarpsborg = Library.objects.create(
        name="Sarpsborg bibliotek",
        municipality=Municipality.objects.create(
            country="NO", code="3105", name="Sarpsborg", county=municipality.county
        ),
    )

    with gunicorn(env, args.workers, args.threads) as port:
        trivial = fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
        runs = []
        start = timezone.now() + timedelta(days=30)
        for run in range(args.runs):
            event = event_create(
                actor=None,
                agency=agency,
                kind="course",
                title=f"Burst {run}",
                status="published",
                capacity=args.seats,
                sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=3))],
            )
            if args.groups:
                from bokbro.events.services import seats

                seats.seat_pool_create(
                    actor=None,
                    agency=agency,
                    event=event,
                    data=seats.PoolData(
                        name="Fredrikstad",
                        capacity=args.seats // 2,
                        municipalities=[municipality],
                        libraries=[],
                    ),
                )

            def person(i: int, run: int = run) -> dict[str, object]:
                if args.groups:
                    library = fredrikstad if i % 2 else sarpsborg
                    return {
                        "name": f"P{i}",
                        "email": f"p{i}.{run}@example.org",
                        "library_id": library.pk,
                    }
                return {"name": f"P{i}", "email": f"p{i}.{run}@example.org", "organisation": "X"}

            requests = [
                ("POST", f"/api/events/{event.pk}/registrations", json.dumps(person(i)).encode())
                for i in range(args.requests)
            ]
            result = fire(port, args.clients, requests)
            registrations = Registration.objects.filter(event=event)
            waiting = list(
                registrations.filter(status="waiting")
                .order_by("waiting_position")
                .values_list("waiting_position", flat=True)
            )
            # Seats given: "held" (the event asks for confirmation by e-mail, the default for
            # new events, and nobody is signed in) or "confirmed".
            result["seated"] = registrations.filter(holds_seat=True).count()
            result["registration_statuses"] = dict(
                registrations.values_list("status").annotate(n=Count("pk")).order_by()
            )
            result["waiting"] = len(waiting)
            result["waiting_positions_contiguous"] = waiting == list(range(1, len(waiting) + 1))
            event.refresh_from_db()
            result["seats_taken"] = event.seats_taken
            # Registrations are timed when the event's lock is granted, so the gaps between
            # consecutive ones are how long each held the lock while others queued for it.
            times = sorted(registrations.values_list("created_at", flat=True))
            gaps = sorted((b - a).total_seconds() * 1000 for a, b in itertools.pairwise(times))
            result["lock_gap_ms_p50_p90"] = [
                round(gaps[len(gaps) // 2], 2),
                round(gaps[len(gaps) * 9 // 10], 2),
            ]
            runs.append(result)
        throughput = statistics.median(r["per_second"] for r in runs)
        print(
            json.dumps(
                {
                    "clients": args.clients,
                    "requests_per_run": args.requests,
                    "seats": args.seats,
                    "groups": args.groups,
                    "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                    "trivial_view": trivial,
                    "registration_runs": runs,
                    "registrations_per_second_median": throughput,
                    "ratio_to_trivial_view": round(throughput / trivial["per_second"], 2),
                    "exactly_seats_given_every_run": all(r["seated"] == args.seats for r in runs),
                },
                indent=2,
            )
        )
    Event.objects.all().delete()


if __name__ == "__main__":
    main()
