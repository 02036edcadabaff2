"""Class sets: the catalogue page with 2,000 titles, 3,000 sets and 10,000 bookings, and a
booking storm for the last 30 copies of a title — each against a trivial view.

Starts gunicorn on 127.0.0.1 against PostgreSQL (see harness.py) and fills the catalogue with
bulk inserts (the booking rule is not what is measured here). Then, `--runs` times in turn:
GETs of /healthz, the catalogue's page 1, a filtered page (a word and a grade band) and one
title's page with its 20 weeks of availability. Then `--runs` storms, each for a title of its
own: 200 POSTs to the API for a title with 30 copies free, from `--clients` clients at once,
against `--requests` GETs of /healthz just before it (the booking path is warmed first by the
same storm for another title, as the pages are); after them, the most copies booked on any day
of each title (it must be at most 30). Prints JSON: requests/s, p50/p99, ratios to the
trivial view and their medians, the CPU per request of the storm and of the trivial view
(harness.CpuMeter: the workers, the database and the clients) and its ratio, and the catalogue
page's query count with 100 and with 2,000 titles (it must not grow).

    .venv/bin/python bench/classsets.py [--runs 3] [--clients 20] [--requests 400]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CpuMeter, fire, gunicorn, make_agency, server_arguments, setup_django


def main() -> None:
    parser = server_arguments(__doc__)
    parser.set_defaults(clients=20, requests=400)
    parser.add_argument("--titles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    env = setup_django()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bokbro.classsets.models import Booking, ClassSet, Theme, Title, monday
    from bokbro.classsets.selectors import booked_per_day
    from bokbro.directory.models import Library, Organisation, OrganisationKind

    agency, municipality = make_agency()
    library = Library.objects.get()
    school = Organisation.objects.create(
        name="Gressvik skole", kind=OrganisationKind.SCHOOL, municipality=municipality
    )
    themes = [Theme.objects.create(agency=agency, name=f"Tema {i}") for i in range(8)]
    bands = ["1-3", "4-5", "6-7", "8-10", "vg"]
    start = monday(timezone.localdate()) + timedelta(weeks=1)

    def make(count: int, offset: int) -> None:
        titles = Title.objects.bulk_create(
            Title(
                agency=agency,
                isbn=f"978{i:010d}",
                title=f"Bok {i}",
                author=f"Forfatter {i % 300}",
                language=["nb", "nn", "sv", "en"][i % 4],
                easy_to_read=i % 5 == 0,
                grade_bands=" ".join(bands[i % 5 : i % 5 + 2]),
            )
            for i in range(offset, offset + count)
        )
        Title.themes.through.objects.bulk_create(
            Title.themes.through(title_id=t.pk, theme_id=themes[t.pk % 8].pk) for t in titles
        )
        ClassSet.objects.bulk_create(
            ClassSet(title=t, copies=30 if j == 0 else 15)
            for n, t in enumerate(titles)
            for j in range(1 if n % 2 else 2)
        )
        Booking.objects.bulk_create(
            Booking(
                agency=agency,
                title=t,
                copies=5 + (n + k) % 20,
                starts_on=start + timedelta(weeks=(n + 3 * k) % 30),
                ends_on=start + timedelta(weeks=(n + 3 * k) % 30 + 4, days=-3),
                school=school,
                class_name="6B",
                contact_name="Lærer",
                contact_email=f"l{n}.{k}@skole.example",
                delivery_library=library,
                status="confirmed",
            )
            for n, t in enumerate(titles)
            for k in range(5)
        )

    def queries(url: str) -> int:
        client = Client(HTTP_HOST="127.0.0.1")
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make(100, 0)
    queries_100 = queries("/class-sets/")
    make(args.titles - 100, 100)
    queries_all = queries("/class-sets/")
    storm_titles = [
        Title.objects.create(agency=agency, isbn=f"97800000999{n:02d}", title=f"Stormen {n}")
        for n in range(args.runs)
    ]
    ClassSet.objects.bulk_create(ClassSet(title=t, copies=30) for t in storm_titles)

    one = Title.objects.order_by("pk")[7].pk
    pages = {
        "catalogue_page_1": "/class-sets/",
        "catalogue_filtered": "/class-sets/?q=Forfatter+1&grade=4-5",
        "title_with_20_weeks": f"/class-sets/{one}/",
    }
    warm_title = Title.objects.create(agency=agency, isbn="9780000099998", title="Oppvarming")
    ClassSet.objects.create(title=warm_title, copies=30)

    def bookings(title: Title, prefix: str) -> list[tuple[str, str, bytes]]:
        return [_booking(title, i, prefix) for i in range(200)]

    def _booking(title: Title, i: int, prefix: str) -> tuple[str, str, bytes]:
        first = start + timedelta(days=i % 5)
        body = {
            "title": title.pk,
            "copies": 1 + i % 4,
            "from": first.isoformat(),
            "to": (first + timedelta(days=13)).isoformat(),
            "school": school.pk,
            "class_name": "6B",
            "contact_name": "Lærer",
            "contact_email": f"{prefix}{i}@skole.example",
            "delivery_library": library.pk,
        }
        return ("POST", "/api/class-sets/bookings", json.dumps(body).encode())

    # Statistics, as autovacuum keeps them on a live database: without them PostgreSQL found a
    # title by scanning the agency's 2,000 (0.40 ms against 0.09 ms with them).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    runs = []
    with gunicorn(env, args.workers, args.threads) as port:
        fire(port, args.clients, [("GET", path, None) for path in pages.values()] * 20)
        # The booking path warmed as the pages are (a storm for another title): each worker's
        # first booking compiles what it needs once (e-mail templates, the address check's
        # pattern, the prepared statements of each connection), 0.1 s or more each.
        fire(port, args.clients, bookings(warm_title, "warm"))
        for _run in range(args.runs):
            trivial = fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
            run = {"trivial_view": trivial}
            for name, path in pages.items():
                run[name] = fire(port, args.clients, [("GET", path, None)] * args.requests)
                run[f"{name}_ratio"] = round(run[name]["per_second"] / trivial["per_second"], 2)
            runs.append(run)
        storms = []
        meter = CpuMeter()
        for n, title in enumerate(storm_titles):
            trivial, trivial_cpu = meter.measure(
                lambda: fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
            )
            booked, storm_cpu = meter.measure(
                lambda title=title, n=n: fire(port, args.clients, bookings(title, f"storm{n}."))
            )
            per_trivial = trivial_cpu / trivial["requests"]
            per_booking = storm_cpu / booked["requests"]
            storms.append(
                {
                    "trivial_view": trivial,
                    "bookings": booked,
                    "ratio_to_trivial_view": round(booked["per_second"] / trivial["per_second"], 2),
                    # CPU per request (workers, database, clients): what the ratio comes to
                    # when the machine is not shared (CpuMeter).
                    "cpu_ms_per_request": {
                        "trivial_view": round(per_trivial * 1000, 2),
                        "bookings": round(per_booking * 1000, 2),
                    },
                    "cpu_ratio": round(per_trivial / per_booking, 2),
                }
            )
    for title, storm in zip(storm_titles, storms, strict=True):
        windows = list(
            Booking.objects.filter(title=title).values_list("starts_on", "ends_on", "copies")
        )
        storm["most_copies_booked_on_any_day"] = max(
            booked_per_day(windows, start, start + timedelta(days=30))
        )
    print(
        json.dumps(
            {
                "titles": Title.objects.count(),
                "sets": ClassSet.objects.count(),
                "bookings_before_the_storm": Booking.objects.exclude(title__in=storm_titles)
                .exclude(title=warm_title)
                .count(),
                "clients": args.clients,
                "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                "runs": runs,
                "ratio_medians": {
                    name: statistics.median(r[f"{name}_ratio"] for r in runs) for name in pages
                },
                "queries_per_catalogue_page_with_100_titles": queries_100,
                "queries_per_catalogue_page_with_all_titles": queries_all,
                "storms": storms,
                "storm_ratio_median": statistics.median(s["ratio_to_trivial_view"] for s in storms),
                "storm_cpu_ratio_median": statistics.median(s["cpu_ratio"] for s in storms),
                "storm_bookings_per_second_median": statistics.median(
                    s["bookings"]["per_second"] for s in storms
                ),
                "copies_owned": 30,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
