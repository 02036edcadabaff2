"""The mobile library: importing the largest Libraries Hacked file, and the public timetable of
a municipality with 60 stops on rules that have run for three years, built and kept for
anonymous visitors (events.page_cache), against a trivial view.

In-process through Django's test client (no HTTP server), so the figures are CPU per request on
this machine; the ratio to `/healthz` in the same run is what to compare. SQLite in a temporary
directory by default; BENCH_DATABASE_URL=postgres://… (an empty database you created) for
PostgreSQL.

    .venv/bin/python bench/mobile_library.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "mobile-libraries"
if not DATA.exists():
    DATA = Path("/work/shared/data/mobile-libraries")


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def sixty_stops(agency, place) -> None:  # type: ignore[no-untyped-def]
    """Five routes of twelve school stops in `place`, on weekly to four-weekly rules that began
    three years ago, saved through the services (as bench/mobile_page_http.py uses it too)."""
    from bokbro.mobile import selectors, services
    from bokbro.mobile.models import Route, Stop, Vehicle, Visit

    today = selectors.today()
    bus = services.vehicle_save(actor=None, agency=agency, vehicle=Vehicle(name="Bokbussen"))
    for day in range(5):
        route = services.route_save(
            actor=None, agency=agency, route=Route(vehicle=bus, name=f"Dag {day}")
        )
        for n in range(12):
            stop = services.stop_save(
                actor=None,
                agency=agency,
                stop=Stop(name=f"Stopp {day}-{n}", municipality=place, kind="school"),
            )
            hour, minute = 8 + n // 2, (n % 2) * 30
            services.visit_save(
                actor=None,
                agency=agency,
                visit=Visit(
                    route=route,
                    stop=stop,
                    arrival=dtime(hour, minute),
                    departure=dtime(hour, minute + 20),
                    rule=f"FREQ=WEEKLY;INTERVAL={1 + n % 4}",
                    starts_on=today - timedelta(days=3 * 365 + day),
                    ends_on=date(today.year + 1, 6, 30),
                ),
            )


# Size: one benchmark script, read top to bottom.
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bokbro-bench-mobile-")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ.setdefault("BOKBRO_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bokbro.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bokbro.directory.models import Agency, County, Municipality
    from bokbro.directory.tenancy import forget_hosts
    from bokbro.events import page_cache
    from bokbro.mobile import importer

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)

    # 1. The import of the largest sample file.
    largest = max(DATA.glob("*.csv"), key=lambda p: p.stat().st_size)
    text = largest.read_text(encoding="utf-8")
    rows = text.count("\n") - 1
    first, again = [], []
    for n in range(max(3, args.repeat // 4)):
        agency = Agency.objects.create(slug=f"import-{n}", name=f"Import {n}", country="NO")
        start = time.perf_counter()
        importer.import_text(actor=None, agency=agency, text=text)
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        importer.import_text(actor=None, agency=agency, text=text)
        again.append(time.perf_counter() - start)
    print(
        f"import {largest.name} ({rows} rows): first {median_ms(first)}, again {median_ms(again)}"
    )
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "import_mobile_library",
            str(largest),
            "--agency",
            "import-0",
        ],
        check=True,
        capture_output=True,
        env=os.environ.copy(),
    )
    print(
        f"manage.py import_mobile_library, wall time with Django's start: "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )

    # 2. A municipality with 60 stops on rules that started three years ago.
    county = County.objects.create(country="NO", code="99", name="Benk")
    place = Municipality.objects.create(country="NO", code="9901", name="Benk", county=county)
    agency = Agency.objects.create(
        slug="bench", name="Benk", country="NO", hosts="testserver", is_default=True
    )
    agency.counties.set([county])
    forget_hosts()
    sixty_stops(agency, place)
    client = Client()
    path = f"/mobile-library/municipalities/{place.pk}/"
    pages = {
        "trivial view (/healthz)": ("/healthz", False),
        "municipality, 60 stops, built": (path, True),
        "municipality, 60 stops, kept (anonymous, no session)": (path, False),
    }
    results = {}
    for label, (url, build) in pages.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.repeat):
            if build:
                page_cache.forget_all()
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        if build:
            page_cache.forget_all()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[label] = statistics.median(times)
        print(f"{label}: median {median_ms(times)}, {len(queries)} queries")
    trivial, built, kept = results.values()
    print(f"ratio of throughputs, built page / trivial view: {trivial / built:.2f}")
    print(f"ratio of throughputs, kept page / trivial view: {trivial / kept:.2f}")


if __name__ == "__main__":
    main()
