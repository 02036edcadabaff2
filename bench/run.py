"""Bokbro benchmarks: run with `make bench` (or `.venv/bin/python bench/run.py`).

Prints medians over repeated runs; the machine is shared and noisy, so compare medians and
ratios, not single figures. By default it uses a fresh SQLite file in a temporary directory;
set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bokbro_bench (an empty database you
created) to measure on PostgreSQL.

    python bench/run.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bokbro-bench-")
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

    from bokbro.accounts import demo as accounts_demo
    from bokbro.directory import demo as directory_demo
    from bokbro.directory.importer import import_directory
    from bokbro.directory.models import Library, Municipality

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    call_command("migrate", verbosity=0)

    def timed(fn) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    first = timed(import_directory)
    second = [timed(import_directory) for _ in range(3)]
    print(f"directory import, first run (empty database): {first * 1000:8.0f} ms")
    rerun_ms = statistics.median(second) * 1000
    print(f"directory import, re-run (no changes), median of 3: {rerun_ms:8.0f} ms")
    directory_demo.load()
    accounts_demo.load()

    library = Library.objects.filter(municipality__code="3107").first()
    municipality = Municipality.objects.get(country="NO", code="3107")
    urls = [
        ("front page", "/"),
        ("directory index", "/directory/"),
        ("county (Østfold)", "/directory/no/31/"),
        ("municipality", municipality.get_absolute_url()),
        ("library list, page 1", "/directory/libraries/"),
        ("library search 'bibliotek'", "/directory/libraries/?q=bibliotek"),
        ("library page", library.get_absolute_url()),
        ("API: libraries in county 06", "/api/directory/libraries?county=06&limit=100"),
    ]
    client = Client()
    print(f"\n{'page':34} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for label, url in urls:
        client.get(url)  # warm caches and template loading
        times = []
        for _ in range(args.repeat):
            times.append(timed(lambda url=url: client.get(url)))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        median_ms = statistics.median(times) * 1000
        queries = len(ctx.captured_queries)
        print(f"{label:34} {median_ms:10.1f} {p90 * 1000:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
