"""Rate limits held by the database, so they hold across every web process and thread: each use
is one statement that counts it in a fixed period and answers the count (an upsert with
RETURNING, the same on PostgreSQL and SQLite), so parallel requests cannot both slip under the
limit.

    rate = Rate.parse(settings.REGISTRATION_RATE_PER_CLIENT)  # "30/600": 30 per 10 minutes
    wait = hit(f"registration:client:{client_address(request)}", rate)  # hits(): several at once
    if wait is not None: ...  # over the limit: answer 429, try again in `wait` seconds

Periods are fixed (aligned to the epoch): a client can use the limit at the end of one period
and again at the start of the next, so at most twice the limit in one period's length.
`prune()` (periodic work) deletes the counts of periods that ended."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from bokbro.core.models import RateCount


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, *, setting: str = "rate") -> Rate | None:
        """ "30/600" is 30 per 600 seconds; "", "0" and "off" turn the limit off."""
        text = (text or "").strip()
        if text in ("", "0", "off"):
            return None
        count, _slash, seconds = text.partition("/")
        try:
            rate = cls(int(count), int(seconds))
        except ValueError:
            rate = None
        if rate is None or rate.count < 1 or rate.seconds < 1:
            raise ValueError(f'{setting}: "{text}" is not a rate; write e.g. "30/600"')
        return rate


@functools.cache
def _upsert(vendor: str, rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(RateCount._meta.db_table)
    name, ends, count = quote("name"), quote("ends"), quote("count")
    values = ", ".join(["(%s, %s, 1)"] * rows)
    return (
        f"INSERT INTO {table} ({name}, {ends}, {count}) VALUES {values} "  # noqa: S608 (names from the model)
        f"ON CONFLICT ({name}, {ends}) DO UPDATE SET {count} = {table}.{count} + 1 "
        f"RETURNING {name}, {count}"
    )


def hit(name: str, rate: Rate | None, *, now: datetime | None = None) -> int | None:
    """Count one use of `name`: None when it is within the rate, else the seconds until the
    next period begins (for Retry-After)."""
    return hits([(name, rate)], now=now)


def hits(uses: list[tuple[str, Rate | None]], *, now: datetime | None = None) -> int | None:
    """Count one use of each (name, rate) in one statement; None when every one is within its
    rate, else the longest wait."""
    moment = (now or timezone.now()).timestamp()
    rows: dict[str, tuple[Rate, int]] = {}
    for name, rate in uses:
        if rate is not None:
            ends = (int(moment // rate.seconds) + 1) * rate.seconds
            rows[f"{name[:180]}/{rate.seconds}"] = (rate, ends)
    if not rows:
        return None
    parameters = [value for key, (_rate, ends) in rows.items() for value in (key, ends)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert(connection.vendor, len(rows)), parameters)
        counted = cursor.fetchall()
    waits = [
        max(1, math.ceil(ends - moment))
        for key, used in counted
        for rate, ends in [rows[key]]
        if used > rate.count
    ]
    return max(waits, default=None)


def address_wait(address: str) -> int | None:
    """Count one mail a public form is about to send to `address`, whatever the client
    (settings.MAIL_RATE_PER_ADDRESS): None within the rate, else the seconds to wait."""
    rate = Rate.parse(settings.MAIL_RATE_PER_ADDRESS, setting="MAIL_RATE_PER_ADDRESS")
    return hit(f"mail-to:{address.strip().lower()}", rate)


def address_refusal(wait: int) -> str:
    """What the form says when `address_wait` refused."""
    minutes = max(1, -(-wait // 60))
    return ngettext(
        "This address has been sent too many e-mails from this site in the last hour. "
        "Please try again in %(minutes)d minute.",
        "This address has been sent too many e-mails from this site in the last hour. "
        "Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def prune(*, now: datetime | None = None) -> int:
    """Delete the counts of periods that ended."""
    moment = (now or timezone.now()).timestamp()
    deleted, _by_model = RateCount.objects.filter(ends__lte=int(moment)).delete()
    return deleted


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a reverse proxy (BEHIND_PROXY) the address
    the proxy adds last to X-Forwarded-For (a client can write the header, but not past the
    proxy)."""
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:100]
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:100]
