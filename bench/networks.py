"""Networks and publications: "invite all members" for a network of N members (every
registration through the events' rule, one batch each under the event's lock), and the
publications' archive and the horizon-scanning list with many rows.

In-process against PostgreSQL (see harness.py; BENCH_DATABASE_URL picks the database). Prints
JSON: the seconds to invite N members to a meeting of N/2 seats with a waiting list, and to run
it again (everyone registered already), the places and waiting-list positions it gave, and the
median time and query count of the archive and the scanning list's first page.

    .venv/bin/python bench/networks.py [--members 300] [--rows 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import make_agency, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    setup_django()
    from datetime import timedelta

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bokbro.directory.models import Person
    from bokbro.events.models import Registration
    from bokbro.networks import services
    from bokbro.networks.models import Membership, MembershipStatus
    from bokbro.publications.models import Publication, ScanItem

    agency, _municipality = make_agency()
    network = services.network_save(actor=None, agency=agency, name="Nettverk", purpose="x")
    people = Person.objects.bulk_create(
        Person(name=f"Medlem {i}", email=f"m{i}@bench.example") for i in range(args.members)
    )
    Membership.objects.bulk_create(
        Membership(network=network, person=p, status=MembershipStatus.MEMBER) for p in people
    )
    start = timezone.now() + timedelta(days=10)
    meeting = services.meeting_create(
        actor=None,
        agency=agency,
        network=network,
        data=services.MeetingData(
            title="Møte",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=args.members // 2,
        ),
    )
    began = time.perf_counter()
    first = services.meeting_invite_all(actor=None, agency=agency, meeting=meeting)
    invite_s = time.perf_counter() - began
    began = time.perf_counter()
    again = services.meeting_invite_all(actor=None, agency=agency, meeting=meeting)
    again_s = time.perf_counter() - began

    Publication.objects.bulk_create(
        Publication(
            agency=agency, title=f"Rapport {i}", year=2000 + i % 26, url="https://example.org/"
        )
        for i in range(args.rows)
    )
    ScanItem.objects.bulk_create(
        ScanItem(
            agency=agency,
            title=f"Sak {i}",
            url="https://example.org/",
            published_on=timezone.localdate(),
        )
        for i in range(args.rows)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {}
    for path in (
        "/publications/",
        "/publications/?q=rapport%201&year=2011",
        "/publications/scanning/",
    ):
        client.get(path)
        times = []
        for _ in range(20):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            times.append(time.perf_counter() - began)
        pages[path] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "queries": len(captured.captured_queries),
        }
    print(
        json.dumps(
            {
                "members": args.members,
                "invite_all_s": round(invite_s, 2),
                "per_member_ms": round(invite_s / args.members * 1000, 2),
                "places": first.registered,
                "waiting": first.waiting,
                "again_s": round(again_s, 2),
                "already": again.already,
                "registrations": Registration.objects.filter(event=meeting.event).count(),
                "rows": args.rows,
                "pages": pages,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
