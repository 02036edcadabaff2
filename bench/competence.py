"""Competence: a mapping of 1,500 library staff answering 40 questions. The results page for the
region and the breakdown per library against a trivial view, over HTTP; and the XLSX of all the
raw answers.

Starts gunicorn on 127.0.0.1 against PostgreSQL (see harness.py). Makes 100 libraries in 20
municipalities, a survey of 40 questions (12 Likert, 8 single choice, 5 multiple choice,
5 numbers, 3 short and 2 long texts, 4 competence matrices over 8 areas and the managers'
matrix of the level needed) and 1,500 responses (bulk inserts: about 140,000 answer rows). Then:

- in process: the results computed cold (no cache), its query count with 300 and with 1,500
  responses (it must not grow), and the CSV/XLSX rows and the XLSX file (median of `--runs`);
- over HTTP, signed in as the agency's consultant, `--runs` times: /healthz, the results page
  (cached per survey version: the first request of a version computes it), the breakdown of
  one matrix by library, and the staff frame alone (a staff page's "not found": the session,
  the sign-in and team checks and the layout, nothing of its own); each run sends its
  `--requests` per page in `--slices` turns, page after page, so the changing load of a shared
  machine falls on all alike; ratios to the trivial view within the run.

    flock /tmp/bench.lock .venv/bin/python bench/competence.py [--runs 3] [--slices 5]

Set REDIS_URL for a cache the gunicorn workers share (without it each worker computes once).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import gunicorn, make_agency, percentile, server_arguments, setup_django

RESPONDENTS = 1500


def fire(
    port: int, clients: int, paths: list[str], cookie: str
) -> tuple[list[float], list[int], float]:
    """harness.fire with a session cookie (the results are for the agency's team only): the
    latencies, the statuses and the wall time."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    queue = iter(paths)
    barrier = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                path = next(queue, None)
            if path is None:
                break
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses.append(response.status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return latencies, statuses, time.perf_counter() - started


def measure(
    port: int, clients: int, pages: dict[str, str], requests: int, slices: int, cookie: str
) -> dict[str, dict]:
    """`requests` per page, sent in `slices` turns page after page (trivial view first), so
    the load of the other sessions on this shared machine, which changes from second to
    second, falls on every page alike; each page's rate is its requests over its own time."""
    found: dict[str, tuple[list[float], list[int], float]] = {n: ([], [], 0.0) for n in pages}
    for _slice in range(slices):
        for name, path in pages.items():
            latencies, statuses, wall = fire(port, clients, [path] * (requests // slices), cookie)
            kept = found[name]
            found[name] = (kept[0] + latencies, kept[1] + statuses, kept[2] + wall)
    return {
        name: {
            "requests": len(latencies),
            "per_second": round(len(latencies) / wall, 1),
            "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        }
        for name, (latencies, statuses, wall) in found.items()
    }


# Size: the data of one survey, made in one place, read top to bottom.
def make_survey(agency, municipality):  # type: ignore[no-untyped-def]
    from bokbro.competence.models import (
        Answer,
        CompetenceArea,
        Question,
        Response,
        Survey,
    )
    from bokbro.directory.models import Library, Municipality

    rng = random.Random(16)  # noqa: S311 - made-up data, not secrets
    municipalities = [
        municipality,
        *[
            Municipality.objects.create(
                country="NO", code=f"39{n:02d}", name=f"Kommune {n}", county=municipality.county
            )
            for n in range(19)
        ],
    ]
    libraries = Library.objects.bulk_create(
        Library(name=f"Bibliotek {n}", municipality=municipalities[n % 20]) for n in range(100)
    )
    areas = [
        CompetenceArea.objects.create(agency=agency, name={"nb": f"Område {n}"}, order=n)
        for n in range(8)
    ]
    survey = Survey.objects.create(
        agency=agency,
        kind="mapping",
        title={"nb": "Kompetansekartlegging"},
        languages=["nb"],
        status="open",
    )
    likert = [{"nb": label} for label in ("1", "2", "3", "4", "5")]
    kinds = (
        ["likert"] * 12
        + ["single"] * 8
        + ["multiple"] * 5
        + ["number"] * 5
        + ["short"] * 3
        + ["long"] * 2
        + ["matrix"] * 4
    )
    questions = []
    for n, kind in enumerate(kinds):
        question = Question.objects.create(
            survey=survey,
            kind=kind,
            order=n,
            text={"nb": f"Spørsmål {n}"},
            options=likert if kind in ("likert", "single", "multiple") else [],
        )
        if kind == "matrix":
            question.areas.set(areas)
        questions.append(question)
    needed = Question.objects.create(
        survey=survey, kind="matrix", order=99, text={"nb": "Nivå som trengs"}, audience="managers"
    )
    needed.areas.set(areas)

    def respond(count: int) -> None:
        responses = Response.objects.bulk_create(
            Response(
                survey=survey,
                library=(library := libraries[rng.randrange(100)]),
                municipality_id=library.municipality_id,
                role="manager" if rng.random() < 0.1 else "staff",
            )
            for _n in range(count)
        )
        rows = []
        for response in responses:
            for question in [*questions, needed]:
                if question is needed and response.role != "manager":
                    continue
                if question.kind in ("likert", "single"):
                    rows.append(
                        Answer(response=response, question=question, number=rng.randint(1, 5))
                    )
                elif question.kind == "multiple":
                    rows += [
                        Answer(response=response, question=question, number=v)
                        for v in rng.sample(range(1, 6), 2)
                    ]
                elif question.kind == "number":
                    rows.append(
                        Answer(response=response, question=question, number=rng.randint(0, 40))
                    )
                elif question.kind in ("short", "long"):
                    if rng.random() < 0.4:
                        rows.append(
                            Answer(
                                response=response,
                                question=question,
                                text="Mer om språk og digitale verktøy",
                            )
                        )
                else:
                    rows += [
                        Answer(
                            response=response,
                            question=question,
                            area=area,
                            number=rng.randint(1, 5),
                            flag=rng.random() < 0.3,
                        )
                        for area in areas
                    ]
        Answer.objects.bulk_create(rows, batch_size=5000)
        Survey.objects.filter(pk=survey.pk).update(version=survey.version + count)
        survey.refresh_from_db()

    return survey, questions, respond


def main() -> None:
    parser = server_arguments(__doc__)
    parser.set_defaults(clients=10, requests=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slices", type=int, default=5, help="turns per run (see measure())")
    args = parser.parse_args()

    env = setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bokbro.accounts.services import user_create
    from bokbro.competence import selectors
    from bokbro.competence.models import Answer
    from bokbro.competence.selectors.results import _compute_results
    from bokbro.competence.views.results import xlsx_bytes
    from bokbro.directory.models import TeamMember

    agency, municipality = make_agency()
    survey, questions, respond = make_survey(agency, municipality)

    def cold_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            selectors.results(survey, "nb")
            selectors.gaps(survey, "nb")
        return len(ctx.captured_queries)

    respond(300)
    queries_300 = cold_queries()
    respond(RESPONDENTS - 300)
    queries_all = cold_queries()

    cold, rows_times, xlsx_times, sizes = [], [], [], []
    for _run in range(args.runs):
        cache.clear()
        started = time.perf_counter()
        _compute_results(survey, "nb")
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        header, rows = selectors.export_rows(survey, "nb")
        rows_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        content = xlsx_bytes(header, rows)
        xlsx_times.append(time.perf_counter() - started + rows_times[-1])
        sizes.append(len(content))

    email = "kari@bench.example"
    # The team member first: creating the user links it (as the sign-in does).
    TeamMember.objects.create(agency=agency, email=email, name="Kari", role="consultant")
    user = user_create(email=email, name="Kari")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    matrix = next(q for q in questions if q.kind == "matrix")
    pages = {
        "trivial_view": "/healthz",
        "results_region": f"/competence/staff/surveys/{survey.pk}/results/",
        "results_per_library": (
            f"/competence/staff/surveys/{survey.pk}/results/library/?question={matrix.pk}"
        ),
        # The staff frame alone: signed in, the team check, the layout (the "not found" page)
        # and one lookup by primary key that finds nothing.
        "staff_frame": "/competence/staff/surveys/0/results/",
    }
    ratios = [name for name in pages if name != "trivial_view"]
    runs = []
    with gunicorn(env, args.workers, args.threads) as port:
        fire(port, args.clients, [p for p in pages.values()] * 10, cookie)
        for _run in range(args.runs):
            run: dict[str, Any] = {"load_average": round(os.getloadavg()[0], 1)}
            run.update(measure(port, args.clients, pages, args.requests, args.slices, cookie))
            for name in ratios:
                run[f"{name}_ratio"] = round(
                    run[name]["per_second"] / run["trivial_view"]["per_second"], 2
                )
            runs.append(run)
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            "GET", f"/competence/staff/surveys/{survey.pk}/answers.xlsx", headers={"Cookie": cookie}
        )
        response = conn.getresponse()
        body = response.read()
        xlsx_http = time.perf_counter() - started
    print(
        json.dumps(
            {
                "respondents": survey.responses.count(),
                "questions": len(questions) + 1,
                "answer_rows": Answer.objects.count(),
                "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                "cache": "redis"
                if "redis" in settings.CACHES["default"]["BACKEND"].lower()
                else "locmem",
                "queries_results_300_respondents": queries_300,
                "queries_results_1500_respondents": queries_all,
                "results_computed_cold_ms_median": round(statistics.median(cold) * 1000),
                "export_rows_ms_median": round(statistics.median(rows_times) * 1000),
                "xlsx_ms_median_rows_included": round(statistics.median(xlsx_times) * 1000),
                "xlsx_bytes": sizes[-1],
                "xlsx_over_http_ms": round(xlsx_http * 1000),
                "xlsx_http_status": response.status,
                "xlsx_http_bytes": len(body),
                "runs": runs,
                "ratio_medians": {
                    name: statistics.median(r[f"{name}_ratio"] for r in runs) for name in ratios
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
