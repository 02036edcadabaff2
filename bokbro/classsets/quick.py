"""The API's quick decision on a booking (`POST /api/class-sets/bookings`, classsets/api.py):
the request's fields checked without a query, what it is decided on read in one statement
(classsets/facts.py) and the service's own rules (`services.rule_errors`) run on that read.

    decided = quick_decision(agency, form_data, title_id)

- `services.NotEnoughCopies`: the request passes every rule and asks for more copies than are
  free — answered 409 at once, without the title's lock (most of a booking storm);
- `(booking, hold_hours)`: it passes every rule and the copies were free when read — the unsaved
  booking, to hold under the lock (`services.booking_hold`), which decides;
- None: anything else (bad input, no such title) — the web form's path answers, naming the
  field. Whatever the rules refuse is never answered here (`tests/test_api.py` sends each bad
  input while the copies are short).

A refusal may be decided on the title's last read in this process, at most a second old, with
no query (classsets/refusals.py); anything else is decided on a read made for the request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from bokbro.classsets import facts, refusals, selectors, services
from bokbro.classsets.forms import BookingFieldsForm
from bokbro.classsets.models import Booking
from bokbro.directory.models import Agency

# A window longer than this is refused by the rules anyway (the longest loan is at most 52
# weeks): it takes the full path, which says so, rather than a long read.
QUICK_DAYS = 366


def _cleaned(form_data: dict[str, Any]) -> dict[str, Any] | None:
    """The booking form's fields' own checks on the data (`BookingFieldsForm`'s fields, each
    `clean()`ed: the form has no checks of its own), without making a form: a form copies its
    fields and binds each (0.3 ms of a refusal's 2.6 in-process, 2026-12-07). None when one is
    refused; the form's path then names it."""
    cleaned = {}
    for name, field in BookingFieldsForm.base_fields.items():
        try:
            cleaned[name] = field.clean(form_data.get(name))
        except ValidationError:
            return None
    return cleaned


def quick_decision(
    agency: Agency, form_data: dict[str, Any], title_id: int
) -> services.NotEnoughCopies | tuple[Booking, int] | None:
    """The decision (module docstring) on the booking form's data for the title `title_id`."""
    data = _cleaned(form_data)
    if data is None:
        return None
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if not 0 <= (ends_on - starts_on).days <= QUICK_DAYS:
        return None
    today = timezone.localdate()
    first, last = services.alternatives_span(starts_on, ends_on, today)
    first, last = min(first, starts_on), max(last, ends_on)
    school_id, library_id = data["school"], data["delivery_library"]
    recalled = refusals.recall(agency.pk, title_id, first, last, school_id, library_id)
    if recalled is not None:
        decided = _decide(agency, data, title_id, recalled, today)
        if isinstance(decided, services.NotEnoughCopies):
            return decided
    read = facts.booking_facts(
        agency_id=agency.pk,
        title_id=title_id,
        school_id=school_id,
        library_id=library_id,
        first=first,
        last=last,
    )
    if read is None:
        return None
    refusals.remember(agency.pk, title_id, first, last, read)
    return _decide(agency, data, title_id, read, today)


def _decide(
    agency: Agency, data: dict[str, Any], title_id: int, read: facts.BookingFacts, today: date
) -> services.NotEnoughCopies | tuple[Booking, int] | None:
    """The decision on the cleaned data and a read of the title (module docstring)."""
    starts_on, ends_on, copies = data["starts_on"], data["ends_on"], data["copies"]
    errors = services.rule_errors(
        copies=copies,
        starts_on=starts_on,
        ends_on=ends_on,
        owned=read.owned,
        today=today,
        max_weeks=read.max_weeks,
        periods=read.holidays,
        school_in_region=read.school_in_region,
        library_in_region=read.library_in_region,
    )
    if errors.errors:
        return None
    booked = selectors.booked_per_day(read.windows, starts_on, ends_on)
    free = max(read.owned - max(booked, default=0), 0)
    if free >= copies:
        booking = Booking(
            agency=agency,
            title_id=title_id,
            copies=copies,
            starts_on=starts_on,
            ends_on=ends_on,
            school_id=data["school"],
            class_name=data["class_name"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            delivery_library_id=data["delivery_library"],
        )
        return booking, read.hold_hours
    return services.NotEnoughCopies(
        asked=copies,
        free=free,
        alternatives=services.alternatives(
            copies=copies,
            starts_on=starts_on,
            ends_on=ends_on,
            owned=read.owned,
            today=today,
            windows=read.windows,
            periods=read.holidays,
        ),
    )
