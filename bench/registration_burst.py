"""The morning a popular course opens: 1,000 registrations at once for a 40-seat event.

Starts gunicorn on 127.0.0.1 against PostgreSQL, fires the registrations from `--clients`
concurrent HTTP clients (keep-alive connections, one thread each) at the JSON API, and measures
in the same run a trivial view (/healthz, one SELECT 1) on the same server. Prints JSON:
registrations/s, p50/p99 latency, confirmed and waiting counts per run, the trivial view's
throughput and the ratio.

    .venv/bin/python bench/registration_burst.py [--runs 3] [--clients 50] [--requests 1000]

Needs PostgreSQL; BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bokbro_bench)
names a database it may empty; it is created if missing.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bokbro_bench"


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def fire(port: int, clients: int, requests: list[tuple[str, str, bytes | None]]) -> dict:
    """Send the requests from `clients` threads; return latencies and answers."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    queue = iter(requests)
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            method, path, body = item
            headers = {"Content-Type": "application/json"} if body else {}
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "seconds": round(wall, 3),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bokbro.settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_MANIFEST": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "BOKBRO_TESTING": "",
    }
    os.environ.update({k: v for k, v in env.items() if k != "BOKBRO_TESTING"})
    os.environ.pop("BOKBRO_TESTING", None)

    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from bokbro.directory.models import Agency, County, Library, Municipality
    from bokbro.events.models import Event, Registration
    from bokbro.events.services import SessionData, event_create

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    county = County.objects.create(country="NO", code="31", name="Østfold")
    municipality = Municipality.objects.create(
        country="NO", code="3107", name="Fredrikstad", county=county
    )
    Library.objects.create(name="Fredrikstad bibliotek", municipality=municipality)
    agency = Agency.objects.create(slug="bench", name="Bench", country="NO", is_default=True)
    agency.counties.set([county])

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bokbro.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")

        trivial = fire(port, args.clients, [("GET", "/healthz", None)] * args.requests)
        runs = []
        start = timezone.now() + timedelta(days=30)
        for run in range(args.runs):
            event = event_create(
                actor=None,
                agency=agency,
                data={
                    "kind": "course",
                    "title": f"Burst {run}",
                    "status": "published",
                    "capacity": args.seats,
                },
                sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=3))],
            )
            requests = [
                (
                    "POST",
                    f"/api/events/{event.pk}/registrations",
                    json.dumps({"name": f"P{i}", "email": f"p{i}.{run}@example.org"}).encode(),
                )
                for i in range(args.requests)
            ]
            result = fire(port, args.clients, requests)
            registrations = Registration.objects.filter(event=event)
            waiting = list(
                registrations.filter(status="waiting")
                .order_by("waiting_position")
                .values_list("waiting_position", flat=True)
            )
            result["confirmed"] = registrations.filter(status="confirmed").count()
            result["waiting"] = len(waiting)
            result["waiting_positions_contiguous"] = waiting == list(range(1, len(waiting) + 1))
            event.refresh_from_db()
            result["seats_taken"] = event.seats_taken
            runs.append(result)
        throughput = statistics.median(r["per_second"] for r in runs)
        print(
            json.dumps(
                {
                    "clients": args.clients,
                    "requests_per_run": args.requests,
                    "seats": args.seats,
                    "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                    "trivial_view": trivial,
                    "registration_runs": runs,
                    "registrations_per_second_median": throughput,
                    "ratio_to_trivial_view": round(throughput / trivial["per_second"], 2),
                    "exactly_seats_confirmed_every_run": all(
                        r["confirmed"] == args.seats for r in runs
                    ),
                },
                indent=2,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        Event.objects.all().delete()


if __name__ == "__main__":
    main()
