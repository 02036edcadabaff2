"""The mobile library's public timetable over HTTP: a municipality with 60 stops on rules that
have run for three years, against a trivial view, as anonymous visitors get it.

Starts gunicorn on 127.0.0.1 against PostgreSQL (see harness.py), builds the timetable through
the services, then fires `--requests` GETs of /healthz and of the municipality page from
`--clients` concurrent clients without cookies, `--runs` times in turn, so each run's ratio
compares measurements taken seconds apart on this shared machine. Without `REDIS_URL` each
gunicorn worker keeps its own copy of the page (LocMemCache); with it they share one.

    .venv/bin/python bench/mobile_page_http.py [--runs 3] [--clients 20] [--requests 600]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fire, gunicorn, make_agency, server_arguments, setup_django
from mobile_library import sixty_stops


def main() -> None:
    parser = server_arguments(__doc__)
    parser.set_defaults(clients=20, requests=600)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    env = setup_django()
    agency, place = make_agency()
    sixty_stops(agency, place)
    page = f"/mobile-library/municipalities/{place.pk}/"
    runs = []
    with gunicorn(env, args.workers, args.threads) as port:
        fire(port, args.clients, [("GET", page, None)] * 50)  # warm up every worker
        for _run in range(args.runs):
            trivial = fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
            timetable = fire(port, args.clients, [("GET", page, None)] * args.requests)
            runs.append(
                {
                    "trivial_view": trivial,
                    "municipality_60_stops": timetable,
                    "ratio_to_trivial_view": round(
                        timetable["per_second"] / trivial["per_second"], 2
                    ),
                }
            )
    print(
        json.dumps(
            {
                "clients": args.clients,
                "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                "runs": runs,
                "ratios_to_trivial_view": [r["ratio_to_trivial_view"] for r in runs],
                "ratio_to_trivial_view_median": statistics.median(
                    r["ratio_to_trivial_view"] for r in runs
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
