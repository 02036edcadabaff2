"""Refusals decided from memory: the last read of a title's bookings (classsets/facts.py), kept
for a second in this process, so that in a booking storm the requests that cannot succeed are
refused without a query.

    read = recall(agency_id, title_id, first, last, school_id, library_id)  # or None
    remember(agency_id, title_id, first, last, read)                          # after a read

Only a refusal is ever decided on what is recalled (classsets/quick.py): if the recalled read
says the copies are free, the request is read again and, if it may succeed, decided under the
title's lock as before (services.booking_hold). So what is recalled can never book a copy too
many; at worst it refuses a request that copies freed in the last `TITLE_SECONDS` would have
served — as if the request had come that much earlier. Copies are freed by a cancellation, a
released hold, a larger set or a shorter booking: in this process each of those forgets
everything at once (`forget`: connected below to the saves and deletions of the models a read
is made of, and called where copies are given back, queue.booking_gave_back); another process's
change is seen after at most `TITLE_SECONDS`. (The receivers are connected when this module is
imported: only a process that has imported it keeps anything to forget.)

A read names one school and one delivery library; a recalled read serves another request only
if that request's school and library are in the agency's region by `region` (the schools and the
active main libraries of the agency's counties, read once a minute per process). A school or
library not in it takes the full read, which names the field; one taken out of the region within
the minute gets a refusal (409) where the full read would have named the field (422) — both are
refusals.

Why (docs/performance.md, "2026-12-07 (session 14), class sets"): in a storm of 200 requests for
the last 30 copies about 187 are refused. A refused request's worker CPU in process was 1.0-1.1
ms against `/healthz`'s 0.45-0.55; 0.45 ms of it was the one read (with the connection's health
check before a request's first query). Recalled, a refusal is 0.60-0.70 ms, and the storm's CPU
per request came to 0.64-0.79 of the trivial view's (0.44-0.53 before). Re-measure
(`bench/classsets.py`) before changing the durations.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from bokbro.classsets.facts import BookingFacts
from bokbro.classsets.models import Booking, ClassSet, HolidayPeriod, Settings, Title
from bokbro.directory.models import (
    Agency,
    Library,
    LibraryKind,
    Municipality,
    Organisation,
    OrganisationKind,
)

TITLE_SECONDS = 1.0
REGION_SECONDS = 60.0
# Reads kept at most (a read is a title's bookings of about 20 weeks: a few kB at most); past
# it the expired ones go, and if none has, all of them.
MAX_READS = 1000

_Key = tuple[int, int, date, date]


@dataclass(frozen=True)
class Region:
    schools: frozenset[int]
    libraries: frozenset[int]


_lock = threading.Lock()
_reads: dict[_Key, tuple[float, BookingFacts]] = {}
_regions: dict[int, tuple[float, Region]] = {}


def recall(
    agency_id: int, title_id: int, first: date, last: date, school_id: int, library_id: int
) -> BookingFacts | None:
    """The title's read of `first` to `last` made in the last `TITLE_SECONDS`, as it stands for
    this school and library; None when there is none, or the school or library is not in the
    agency's region."""
    kept = _reads.get((agency_id, title_id, first, last))
    if kept is None or kept[0] < time.monotonic():
        return None
    known = region(agency_id)
    if school_id not in known.schools or library_id not in known.libraries:
        return None
    return dataclasses.replace(kept[1], school_in_region=True, library_in_region=True)


def remember(agency_id: int, title_id: int, first: date, last: date, read: BookingFacts) -> None:
    """Keep a read just made (the newest read of the title wins)."""
    now = time.monotonic()
    if len(_reads) >= MAX_READS:
        with _lock:
            for key in [key for key, (until, _read) in list(_reads.items()) if until < now]:
                _reads.pop(key, None)
            if len(_reads) >= MAX_READS:
                _reads.clear()
    _reads[(agency_id, title_id, first, last)] = (now + TITLE_SECONDS, read)


def forget(**_signal: Any) -> None:
    """Forget every read, now and again when the caller's transaction commits (a request that
    reads in between would otherwise keep what the commit changes). Also a signal receiver."""
    _forget_now()
    transaction.on_commit(_forget_now)


def _forget_now() -> None:
    with _lock:
        _reads.clear()


def forget_regions(**_signal: Any) -> None:
    """Forget the regions (a school, a library, a municipality or an agency's counties
    changed in this process)."""
    with _lock:
        _regions.clear()


def forget_all() -> None:
    """Forget the reads and the regions (a test's start: another test's rows had these ids)."""
    _forget_now()
    forget_regions()


def region(agency_id: int) -> Region:
    """The schools and the active main (or combined) libraries of the agency's counties — those a
    booking may name (the rules of facts.py and services.validate_request) — read at most once
    every `REGION_SECONDS`."""
    kept = _regions.get(agency_id)
    if kept is not None and kept[0] >= time.monotonic():
        return kept[1]
    counties = Agency.counties.through.objects.filter(agency_id=agency_id).values("county_id")
    schools = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, municipality__county__in=counties
    ).values_list("pk", flat=True)
    libraries = (
        Library.objects.filter(is_active=True, kind__in=[LibraryKind.MAIN, LibraryKind.COMBINED])
        .filter(
            Q(municipality__isnull=True, county__in=counties) | Q(municipality__county__in=counties)
        )
        .values_list("pk", flat=True)
    )
    found = Region(schools=frozenset(schools), libraries=frozenset(libraries))
    _regions[agency_id] = (time.monotonic() + REGION_SECONDS, found)
    return found


def _connect() -> None:
    for model in (Booking, ClassSet, Title, HolidayPeriod, Settings):
        uid = f"classsets.refusals.{model.__name__}"
        post_save.connect(forget, sender=model, dispatch_uid=uid)
        post_delete.connect(forget, sender=model, dispatch_uid=uid)
    for place in (Organisation, Library, Municipality):
        uid = f"classsets.regions.{place.__name__}"
        post_save.connect(forget_regions, sender=place, dispatch_uid=uid)
        post_delete.connect(forget_regions, sender=place, dispatch_uid=uid)
    m2m_changed.connect(
        forget_regions, sender=Agency.counties.through, dispatch_uid="classsets.regions.counties"
    )


_connect()
