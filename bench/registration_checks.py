"""What the API's checks cost a registration: the registration page's form (RegistrantForm) and
the two rate-limit upserts, against the same registration with the limits off. In-process
(Django test client, no HTTP), so the figure is this process's CPU per registration: what a web
worker spends, and what the burst benchmark's throughput is made of.

    .venv/bin/python bench/registration_checks.py [--registrations 300] [--repeat 5]

Prints medians (and ranges) of `--repeat` rounds per variant, and the ratio. Uses
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bokbro_bench), which it empties.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import make_agency, setup_django

VARIANTS = {
    "limits on (the defaults)": ("30000/3600", "30000/3600"),
    "limits off": ("0", "0"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    from datetime import timedelta

    from django.test import Client, override_settings
    from django.utils import timezone

    from bokbro.events.services.events import SessionData, event_create

    agency, _municipality = make_agency()
    client = Client(HTTP_HOST="127.0.0.1")
    start = timezone.now() + timedelta(days=30)
    results: dict[str, Any] = {}
    cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for round_ in range(args.repeat):
        for name, (per_client, per_event) in VARIANTS.items():  # interleaved: same load
            event = event_create(
                actor=None,
                agency=agency,
                kind="course",
                title=f"{name} {round_}",
                status="published",
                capacity=None,
                sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=2))],
            )
            url = f"/api/events/{event.pk}/registrations"
            with override_settings(
                REGISTRATION_RATE_PER_CLIENT=per_client,
                REGISTRATION_RATE_PER_CLIENT_AND_EVENT=per_event,
            ):
                started = time.process_time()
                for i in range(args.registrations):
                    response = client.post(
                        url,
                        json.dumps(
                            {"name": f"P{i}", "email": f"p{i}@example.org", "organisation": "X"}
                        ),
                        content_type="application/json",
                    )
                    assert response.status_code == 201, response.content
                cpu[name].append((time.process_time() - started) / args.registrations * 1000)
    for name, values in cpu.items():
        results[name] = {
            "cpu_ms": round(statistics.median(values), 3),
            "cpu_ms_range": [round(min(values), 3), round(max(values), 3)],
        }
    on, off = (statistics.median(cpu[name]) for name in VARIANTS)
    results["ratio_on_to_off"] = round(on / off, 3)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
