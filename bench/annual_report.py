"""The annual report of a large region: how long the web page and the PDF take, and whether the
time grows linearly with the data.

Generates (bulk_create) a region of 300 libraries in 100 municipalities with a plan of nine
goals, and for one year: 2,000 published events with 50,000 registrations (80 % confirmed, with
attendance and certificates), 3,000 consultations and 100 projects with partners, funding and
measures, all tagged with goals. Times the web report (`build_report` and the page, through the
test client) and the PDF (median of `--runs`), then adds the same amount again (the data doubled,
the region the same) and times again. Prints JSON with the times, the query counts, the ratios
doubled / base and a verdict: "linear" when no time more than doubles (with 15 % for noise).

    flock /tmp/bench.lock .venv/bin/python bench/annual_report.py [--runs 3] [--scale 1.0]

Uses its own PostgreSQL database, BENCH_REPORT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bokbro_bench_report), created at the start and dropped at the
end (`--keep` keeps it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bokbro_bench_report"
YEAR = 2025


def admin_connection(url: str):
    import psycopg

    parsed = urlparse(url)
    return parsed.path.lstrip("/"), psycopg.connect(
        parsed._replace(path="/postgres").geturl(), autocommit=True
    )


def create_database(url: str) -> None:
    name, conn = admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    name, conn = admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bokbro.settings",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "STATIC_MANIFEST": "false",
            "DEBUG": "false",
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("BOKBRO_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_region(municipalities: int, libraries_each: int):
    from bokbro.accounts.services import user_create
    from bokbro.directory.models import Agency, County, Library, Municipality, TeamMember
    from bokbro.plans.models import FocusArea, Goal, MunicipalPlan, Plan

    county = County.objects.create(country="NO", code="34", name="Innlandet")
    towns = Municipality.objects.bulk_create(
        Municipality(country="NO", code=f"{3400 + i}", name=f"Kommune {i:03d}", county=county)
        for i in range(municipalities)
    )
    libraries = Library.objects.bulk_create(
        Library(name=f"{town.name} bibliotek {j}", municipality=town)
        for town in towns
        for j in range(libraries_each)
    )
    agency = Agency.objects.create(
        slug="innlandet", name="Innlandet fylkesbibliotek", country="NO", is_default=True
    )
    agency.counties.set([county])
    TeamMember.objects.create(agency=agency, email="kari@bench.example", name="Kari")
    user = user_create(email="kari@bench.example", name="Kari")
    plan = Plan.objects.create(
        agency=agency, title="Regional bibliotekplan", starts_year=2024, ends_year=2027
    )
    goals = []
    for a in range(3):
        area = FocusArea.objects.create(plan=plan, code=str(a + 1), title=f"Satsing {a + 1}")
        for g in range(3):
            goals.append(
                Goal.objects.create(
                    plan=plan, focus_area=area, code=f"{a + 1}.{g + 1}", title=f"Mål {a}.{g}"
                )
            )
    rng = random.Random(1)  # noqa: S311 - made-up data, not secrets
    MunicipalPlan.objects.bulk_create(
        MunicipalPlan(
            agency=agency,
            municipality=town,
            title=f"Bibliotekplan {town.name}",
            starts_year=start,
            ends_year=start + 4,
        )
        for town in towns
        if (start := rng.choice([None, 2014, 2018, 2020, 2022])) is not None
    )
    return agency, user, libraries, towns, goals


def add_year(
    agency, user, libraries, towns, goals, *, events, per_event, consultations, projects, batch
):
    """One batch of a year's activities; `batch` keeps titles and e-mails unique."""
    from datetime import date, datetime, timedelta
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from bokbro.advisory.models import Consultation
    from bokbro.events.models import Attendance, Certificate, Event, Registration, Session
    from bokbro.projects.models import Funder, FundingLine, Measure, Partner, Project

    rng = random.Random(batch)  # noqa: S311 - made-up data, not secrets
    oslo = ZoneInfo("Europe/Oslo")
    rows = []
    for i in range(events):
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(360))
        starts = datetime(day.year, day.month, day.day, 10, tzinfo=oslo)
        rows.append(
            Event(
                agency=agency,
                kind=rng.choice(["course", "webinar", "network_meeting", "conference"]),
                title=f"Kurs {batch}-{i}",
                status="published",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                certificate_min_sessions=1,
            )
        )
    new_events = Event.objects.bulk_create(rows)
    sessions = Session.objects.bulk_create(
        Session(event=e, starts_at=e.starts_at, ends_at=e.ends_at) for e in new_events
    )
    Event.plan_goals.through.objects.bulk_create(
        Event.plan_goals.through(event_id=e.pk, goal_id=g.pk)
        for e in new_events
        for g in rng.sample(goals, rng.choice([1, 1, 2]))
    )
    registrations = []
    for e in new_events:
        for n in range(per_event):
            status = rng.choices(["confirmed", "cancelled", "waiting"], [8, 1, 1])[0]
            registrations.append(
                Registration(
                    event=e,
                    name=f"Deltaker {n}",
                    email=f"p{batch}-{e.pk}-{n}@example.org",
                    library=rng.choice(libraries),
                    status=status,
                    holds_seat=status == "confirmed",
                )
            )
    registrations = Registration.objects.bulk_create(registrations, batch_size=5000)
    session_of = {s.event_id: s for s in sessions}
    present = []
    attendances = []
    for r in registrations:
        if r.status != "confirmed":
            continue
        here = rng.random() < 0.85
        attendances.append(Attendance(registration=r, session=session_of[r.event_id], present=here))
        if here:
            present.append(r)
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    Certificate.objects.bulk_create(
        (Certificate(registration=r, sessions_attended=1) for r in present), batch_size=5000
    )
    new_consultations = Consultation.objects.bulk_create(
        Consultation(
            agency=agency,
            date=date(YEAR, 1, 1) + timedelta(days=rng.randrange(360)),
            kind=rng.choice(["visit", "meeting", "phone", "email"]),
            consultant=user,
            hours=Decimal(rng.choice(["0.5", "1", "1.5", "2", "3"])),
            summary="Rådgivning",
        )
        for _ in range(consultations)
    )
    through = Consultation.libraries.through
    through.objects.bulk_create(
        through(consultation_id=c.pk, library_id=lib.pk)
        for c in new_consultations
        for lib in rng.sample(libraries, rng.choice([1, 1, 2]))
    )
    Consultation.plan_goals.through.objects.bulk_create(
        Consultation.plan_goals.through(consultation_id=c.pk, goal_id=rng.choice(goals).pk)
        for c in new_consultations
    )
    funders = [
        Funder.objects.get_or_create(agency=agency, name=name)[0]
        for name in ["Nasjonalbiblioteket", "Fylkeskommunen", "Kulturrådet"]
    ]
    new_projects = Project.objects.bulk_create(
        Project(
            agency=agency,
            title=f"Prosjekt {batch}-{i}",
            status="running",
            starts_on=date(YEAR - 1, 1, 1),
            ends_on=date(YEAR + 1, 12, 31),
        )
        for i in range(projects)
    )
    Project.plan_goals.through.objects.bulk_create(
        Project.plan_goals.through(project_id=p.pk, goal_id=rng.choice(goals).pk)
        for p in new_projects
    )
    Partner.objects.bulk_create(
        Partner(project=p, library=lib) for p in new_projects for lib in rng.sample(libraries, 3)
    )
    FundingLine.objects.bulk_create(
        FundingLine(
            project=p,
            funder=f,
            year=YEAR,
            applied=Decimal("200000"),
            granted=Decimal(rng.choice(["100000", "150000", "200000"])),
        )
        for p in new_projects
        for f in rng.sample(funders, 2)
    )
    Measure.objects.bulk_create(
        Measure(
            project=p,
            title=f"Tiltak {k}",
            status="done",
            ends_on=date(YEAR, 1, 1) + timedelta(days=rng.randrange(360)),
        )
        for p in new_projects
        for k in range(3)
    )


def measure(client, agency, runs: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bokbro.reports import pdf
    from bokbro.reports.report import build_report

    web, pdfs, pdf_cpu, builds, pages, sizes = [], [], [], [], [], []
    assert client.get(f"/plans/report/{YEAR}/").status_code == 200  # warm up
    reset_queries()  # the log keeps 9,000 queries at most: start from an empty one
    with CaptureQueriesContext(connection) as queries:
        build_report(agency, YEAR)
    query_count = len(queries)  # now: the log is cleared when a request closes the connection
    for _ in range(runs):
        start = time.perf_counter()
        build_report(agency, YEAR)
        builds.append(time.perf_counter() - start)
        start = time.perf_counter()
        response = client.get(f"/plans/report/{YEAR}/")
        web.append(time.perf_counter() - start)
        assert response.status_code == 200
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/plans/report/{YEAR}/report.pdf")
        pdfs.append(time.perf_counter() - start)
        pdf_cpu.append(time.process_time() - cpu)
        assert response.status_code == 200
        sizes.append(len(response.content))
    from io import BytesIO

    from pypdf import PdfReader

    pages.append(len(PdfReader(BytesIO(response.content)).pages))
    # Where the PDF's time goes: the report's numbers, the HTML, WeasyPrint.
    built = build_report(agency, YEAR)
    start = time.perf_counter()
    html = pdf.report_html(built)
    html_time = time.perf_counter() - start
    start = time.perf_counter()
    pdf.html_to_pdf(html)
    weasy_time = time.perf_counter() - start
    return {
        "build_report_s": round(statistics.median(builds), 3),
        "web_page_s": round(statistics.median(web), 3),
        "pdf_s": round(statistics.median(pdfs), 3),
        # CPU time of this process: what the PDF costs without the other loads of a shared box.
        "pdf_cpu_s": round(statistics.median(pdf_cpu), 3),
        "pdf_html_s": round(html_time, 3),
        "pdf_weasyprint_s": round(weasy_time, 3),
        "pdf_pages": pages[0],
        "pdf_bytes": sizes[-1],
        "build_report_queries": query_count,
    }


def counts() -> dict:
    from bokbro.advisory.models import Consultation
    from bokbro.events.models import Event, Registration
    from bokbro.projects.models import Project

    return {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "consultations": Consultation.objects.count(),
        "projects": Project.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="0.1 for a quick try")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = os.environ.get("BENCH_REPORT_DATABASE_URL", DEFAULT_URL)
    create_database(url)
    try:
        setup(url)
        from django.test import Client

        agency, user, libraries, towns, goals = make_region(100, 3)
        size = {
            "events": int(2000 * args.scale),
            "per_event": 25,
            "consultations": int(3000 * args.scale),
            "projects": int(100 * args.scale),
        }
        started = time.perf_counter()
        add_year(agency, user, libraries, towns, goals, batch=1, **size)
        generated = time.perf_counter() - started
        client = Client()
        client.force_login(user)
        base = {"data": counts(), **measure(client, agency, args.runs)}
        add_year(agency, user, libraries, towns, goals, batch=2, **size)
        doubled = {"data": counts(), **measure(client, agency, args.runs)}
        ratio = {
            key: round(doubled[key] / base[key], 2)
            for key in ("build_report_s", "web_page_s", "pdf_s", "pdf_cpu_s")
            if base[key]
        }
        print(
            json.dumps(
                {
                    "benchmark": "annual_report",
                    "database": "postgresql",
                    "libraries": len(libraries),
                    "municipalities": len(towns),
                    "generate_s": round(generated, 1),
                    "runs": args.runs,
                    "base": base,
                    "doubled": doubled,
                    "ratio_doubled_over_base": ratio,
                    "verdict": "linear" if max(ratio.values()) <= 2.3 else "worse than linear",
                    "pdf_target_s": 3.0,
                    "pdf_under_target": doubled["pdf_s"] < 3.0 and base["pdf_s"] < 3.0,
                    "load_average": [round(x, 2) for x in os.getloadavg()],
                },
                indent=2,
            )
        )
    finally:
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
