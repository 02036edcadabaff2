"""Does every request get an answer? Bursts of registrations against gunicorn, counted.

Starts gunicorn on 127.0.0.1 against PostgreSQL (see harness.py) and sends `--bursts` bursts of
`--requests` registrations each from `--clients` concurrent clients, alternately with the
threaded keep-alive harness (`harness.fire`) and with an asyncio client (httpx.AsyncClient,
keep-alive pool of `--clients` connections). A request counts as unanswered when the client
got no HTTP status at all (connection reset or closed, timeout). After each burst the
database's registrations are compared with the answers: a 201 without a row, or a row without
a 201, is counted too. Prints JSON per server layout (`--layouts`): unanswered per burst and
in all.

    .venv/bin/python bench/no_answer.py [--bursts 10] [--clients 50] [--requests 1000]
        [--layouts gthread,gthread-keepalive,sync]

Layouts: `gthread` is 4 workers x 4 threads with gunicorn's default keep-alive (2 s);
`gthread-keepalive` the same with the harness's 75 s, longer than the clients keep an idle
connection (httpx: 5 s), so a client never sends on a connection the server is closing; `sync`
is docs/operations.md's production command (4 sync workers, no keep-alive).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import fire, gunicorn, make_agency, server_arguments, setup_django

LAYOUTS = {
    "gthread": (4, 4, ("--keep-alive", "2")),
    "gthread-keepalive": (4, 4, ()),
    "sync": (4, 1, ("--worker-class", "sync")),
}


async def fire_async(port: int, clients: int, requests: list[tuple[str, bytes]]) -> dict:
    import httpx

    statuses: list[int] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    gate = asyncio.Semaphore(clients)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
    ) as client:

        async def one(path: str, body: bytes) -> None:
            async with gate:
                try:
                    answer = await client.post(
                        path, content=body, headers={"Content-Type": "application/json"}
                    )
                    statuses.append(answer.status_code)
                except httpx.HTTPError as error:
                    statuses.append(0)
                    errors.append(f"{type(error).__name__}: {error}")

        started = time.perf_counter()
        await asyncio.gather(*(one(path, body) for path, body in requests))
    wall = time.perf_counter() - started
    return {
        "requests": len(statuses),
        "per_second": round(len(statuses) / wall, 1),
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
        "errors": sorted(set(errors)),
    }


# Size: one benchmark script, read top to bottom.
def main() -> None:
    parser = server_arguments(__doc__)
    parser.set_defaults(clients=50, requests=1000)
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--layouts", default="gthread,gthread-keepalive,sync")
    args = parser.parse_args()

    env = setup_django()
    env["REGISTRATION_RATE_PER_CLIENT"] = env["REGISTRATION_RATE_PER_CLIENT_AND_EVENT"] = (
        f"{args.requests * args.bursts * 2 + 1}/3600"
    )
    from datetime import timedelta

    from django.utils import timezone

    from bokbro.core.models import RateCount
    from bokbro.events.models import Event, Registration
    from bokbro.events.services.events import SessionData, event_create

    agency, _municipality = make_agency()
    start = timezone.now() + timedelta(days=30)
    report = {}
    for layout in args.layouts.split(","):
        workers, threads, extra = LAYOUTS[layout]
        bursts = []
        with gunicorn(env, workers, threads, extra) as port:
            for burst in range(args.bursts):
                RateCount.objects.all().delete()
                event = event_create(
                    actor=None,
                    agency=agency,
                    kind="course",
                    title=f"{layout} {burst}",
                    status="published",
                    capacity=40,
                    sessions=[SessionData(starts_at=start, ends_at=start + timedelta(hours=3))],
                )
                bodies = [
                    (
                        f"/api/events/{event.pk}/registrations",
                        json.dumps(
                            {
                                "name": f"P{i}",
                                "email": f"p{i}.{layout}.{burst}@example.org",
                                "organisation": "X",
                            }
                        ).encode(),
                    )
                    for i in range(args.requests)
                ]
                client = "threads" if burst % 2 == 0 else "httpx"
                if client == "threads":
                    result = fire(port, args.clients, [("POST", p, b) for p, b in bodies])
                else:
                    result = asyncio.run(fire_async(port, args.clients, bodies))
                created = result["statuses"].get("201", 0)
                rows = Registration.objects.filter(event=event).count()
                bursts.append(
                    {
                        "client": client,
                        "per_second": result["per_second"],
                        "statuses": result["statuses"],
                        "unanswered": result["statuses"].get("0", 0),
                        "errors": result.get("errors", []),
                        "rows_without_201": max(0, rows - created),
                        "201_without_row": max(0, created - rows),
                    }
                )
        report[layout] = {
            "workers_x_threads": f"{workers} x {threads}",
            "bursts": bursts,
            "unanswered_in_all": sum(b["unanswered"] for b in bursts),
            "mismatches_in_all": sum(b["rows_without_201"] + b["201_without_row"] for b in bursts),
        }
    print(json.dumps({"clients": args.clients, "requests": args.requests, **report}, indent=2))
    Event.objects.all().delete()


if __name__ == "__main__":
    main()
