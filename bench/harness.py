"""Shared pieces of the HTTP benchmarks: a PostgreSQL database, gunicorn, concurrent clients."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
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
    """A port free at the moment of asking (another process may take it before it is used:
    prefer `listening_socket()`, which gunicorn gets below)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_socket() -> socket.socket:
    """A socket bound to a free port and listening, to hand to gunicorn (`--bind fd://`).

    Binding port 0, closing it and starting gunicorn on that number raced: another process
    (another engineer's benchmark or test server) could take the port in between. The socket
    stays open from here to gunicorn, so nothing else can bind it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def fire(port: int, clients: int, requests: Sequence[tuple[str, str, bytes | None]]) -> dict:
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


def setup_django() -> dict[str, str]:
    """Point this process (and the server it starts) at the benchmark database."""
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
    }
    env.pop("BOKBRO_TESTING", None)
    os.environ.update(env)
    os.environ.pop("BOKBRO_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    return env


@contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int, extra: Sequence[str] = ()):
    sock = listening_socket()
    port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bokbro.wsgi",
            "--bind",
            f"fd://{sock.fileno()}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            # Longer than clients keep an idle connection (httpx: 5 s): with gunicorn's 2 s, a
            # client now and then sent a request on a connection the server was closing and got
            # no answer (bench/no_answer.py; docs/performance.md, 2026-12-06).
            "--keep-alive",
            "75",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        pass_fds=(sock.fileno(),),
    )
    sock.close()  # gunicorn holds its copy
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
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def make_agency():
    """A one-agency install with one county and municipality (and its library)."""
    from bokbro.directory.models import Agency, County, Library, Municipality

    county = County.objects.create(country="NO", code="31", name="Østfold")
    municipality = Municipality.objects.create(
        country="NO", code="3107", name="Fredrikstad", county=county
    )
    Library.objects.create(name="Fredrikstad bibliotek", municipality=municipality)
    agency = Agency.objects.create(slug="bench", name="Bench", country="NO", is_default=True)
    agency.counties.set([county])
    return agency, municipality


def server_arguments(description: str):
    """The command-line options every HTTP benchmark takes."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    return parser


# --- CPU per request: a measure the machine's other load does not move ----------------------


def _proc_children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(name))
    return found


def _proc_cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent serving: the gunicorn workers this process started, the PostgreSQL
    backends connected to the benchmark's database, and this process (the clients). On a
    shared machine a throughput ratio moves with the other load (on two cores, a load of 10
    took half the CPU); the CPU each request costs does not, much. Linux only (/proc).

        meter = CpuMeter()          # after the server has served (its connections are open)
        spent = meter.measure(lambda: fire(...))
    """

    def __init__(self) -> None:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        self.database = urlparse(url).path.lstrip("/")
        self.admin = urlparse(url)._replace(path="/postgres").geturl()

    def _pids(self) -> list[int]:
        """The workers and the database's backends now (a backend closed after CONN_MAX_AGE
        is replaced by a new one, so they are listed again for each measure)."""
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            backends = [
                row[0]
                for row in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchall()
            ]
        workers = [w for master in _proc_children(os.getpid()) for w in _proc_children(master)]
        return workers + backends

    def measure(self, work):  # type: ignore[no-untyped-def]
        """Run `work`; return its result and the CPU seconds spent meanwhile. A process that
        ended meanwhile (a backend closed) counts for nothing rather than for minus what it had
        spent, so its share is missed, not subtracted."""
        pids = self._pids()
        started = {pid: _proc_cpu_seconds(pid) for pid in pids}
        own = os.times()
        result = work()
        after = os.times()
        spent = (after.user + after.system) - (own.user + own.system)
        for pid in pids:
            now = _proc_cpu_seconds(pid)
            if now >= started[pid]:
                spent += now - started[pid]
        return result, spent
