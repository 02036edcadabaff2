"""What a booking request is decided on, read in one plain SQL statement: the hot path of a
booking storm (the API's `POST /api/class-sets/bookings`, classsets/api.py).

    facts = booking_facts(agency_id=…, title_id=…, school_id=…, library_id=…, first=…, last=…)
    # None: no such title in the agency's catalogue

`facts` holds the title's name and copies owned, the agency's longest loan and hours to confirm
(the model's defaults when it has no settings row), whether the school and the delivery library
are ones the booking form accepts *and* `services.validate_request` accepts (a school in the
region; an active main or combined library in the region), the holding bookings' windows and the
holiday periods that overlap `first` to `last`.

Why not the ORM (docs/performance.md, "2026-12-06 (session 12)"): in a storm of 200 requests for
the last 30 copies of a title, about 185 are refused (409). Through the form, the rules and the
service, a refusal was 15 ORM queries and cost about 10 ms of CPU in-process (PostgreSQL, test
client; `/healthz` 0.9 ms), most of it compiling the queries. This statement reads the same for
the refusal and its alternatives; re-measure (`bench/classsets.py`) before changing it.

Nothing here decides or locks: a refusal read without the title's lock is a refusal at the
moment of the read (copies free only grow by cancellations, releases and larger sets, which a
request arriving a moment earlier would have missed too). A request that may succeed is decided
under the title's lock (services.booking_hold, classsets/hold_sql.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from bokbro.classsets.models import HOLDING, Booking, ClassSet, HolidayPeriod, Settings, Title
from bokbro.core import prepared
from bokbro.directory.models import (
    Agency,
    Library,
    LibraryKind,
    Municipality,
    Organisation,
    OrganisationKind,
)


@dataclass(frozen=True)
class BookingFacts:
    title: str
    owned: int
    max_weeks: int
    hold_hours: int
    school_in_region: bool
    library_in_region: bool
    windows: list[tuple[date, date, int]]
    holidays: list[HolidayPeriod]


def _day(value: Any) -> date:
    """A date column's value (SQLite answers text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _names(model: Any) -> Any:
    """The model's table and a column by field name, quoted."""
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), lambda name: quote(meta.get_field(name).column)


@functools.cache
def _statement(vendor: str) -> str:
    title, t = _names(Title)
    sets, s = _names(ClassSet)
    rules, r = _names(Settings)
    orgs, o = _names(Organisation)
    libs, lib = _names(Library)
    towns, m = _names(Municipality)
    through = Agency.counties.through
    regions, c = _names(through)
    region_agency = c(Agency._meta.model_name)
    region_county = c("county")
    bookings, b = _names(Booking)
    holidays, h = _names(HolidayPeriod)
    # One UNION ALL: the facts row (kind 2), then the holding bookings' windows (0) and the
    # holidays (1) of the span; the columns the other kinds do not use are NULL.
    return (
        f"SELECT 2, NULL, NULL,"  # noqa: S608 (names from the models, values as parameters)
        f" (SELECT COALESCE(SUM(s.{s('copies')}), 0) FROM {sets} s"
        f"  WHERE s.{s('title')} = t.{t('id')}),"
        f" t.{t('title')},"
        f" (SELECT r.{r('max_weeks')} FROM {rules} r WHERE r.{r('agency')} = t.{t('agency')}),"
        f" (SELECT r.{r('hold_hours')} FROM {rules} r WHERE r.{r('agency')} = t.{t('agency')}),"
        f" EXISTS (SELECT 1 FROM {orgs} o"
        f"  JOIN {towns} m ON m.{m('id')} = o.{o('municipality')}"
        f"  JOIN {regions} ac ON ac.{region_county} = m.{m('county')}"
        f"  WHERE o.{o('id')} = %(school)s AND o.{o('kind')} = %(school_kind)s"
        f"  AND ac.{region_agency} = t.{t('agency')}),"
        f" EXISTS (SELECT 1 FROM {libs} l"
        f"  LEFT JOIN {towns} m ON m.{m('id')} = l.{lib('municipality')}"
        f"  JOIN {regions} ac ON ac.{region_county} = CASE"
        f"   WHEN l.{lib('municipality')} IS NULL THEN l.{lib('county')} ELSE m.{m('county')} END"
        f"  WHERE l.{lib('id')} = %(library)s AND l.{lib('kind')} IN (%(main)s, %(combined)s)"
        f"  AND l.{lib('is_active')} AND ac.{region_agency} = t.{t('agency')})"
        f" FROM {title} t WHERE t.{t('id')} = %(title)s AND t.{t('agency')} = %(agency)s"
        f" UNION ALL SELECT 0, b.{b('starts_on')}, b.{b('ends_on')}, b.{b('copies')}, '',"
        f" NULL, NULL, NULL, NULL"
        f" FROM {bookings} b WHERE b.{b('title')} = %(title)s"
        f" AND b.{b('status')} IN (%(held)s, %(confirmed)s, %(out)s)"
        f" AND b.{b('starts_on')} <= %(last)s AND b.{b('ends_on')} >= %(first)s"
        f" UNION ALL SELECT 1, h.{h('starts_on')}, h.{h('ends_on')}, 0, h.{h('name')},"
        f" NULL, NULL, NULL, NULL"
        f" FROM {holidays} h WHERE h.{h('agency')} = %(agency)s"
        f" AND h.{h('starts_on')} <= %(last)s AND h.{h('ends_on')} >= %(first)s"
    )


def booking_facts(
    *, agency_id: int, title_id: int, school_id: int, library_id: int, first: date, last: date
) -> BookingFacts | None:
    """The facts of a booking request (module docstring); None when the agency's catalogue has
    no such title. One statement, whatever the number of bookings."""
    if not all(0 < n < 2**63 for n in (title_id, school_id, library_id)):
        return None  # no such row (SQLite would refuse the number rather than say so)
    params = {
        "school": school_id,
        "school_kind": OrganisationKind.SCHOOL.value,
        "library": library_id,
        "main": LibraryKind.MAIN.value,
        "combined": LibraryKind.COMBINED.value,
        "title": title_id,
        "agency": agency_id,
        **{status: status for status in (str(s) for s in HOLDING)},
        "first": connection.ops.adapt_datefield_value(first),
        "last": connection.ops.adapt_datefield_value(last),
    }
    with connection.cursor() as cursor:
        (rows,) = prepared.run(cursor, [_statement(connection.vendor)], params)
    row = next((r for r in rows if r[0] == 2), None)
    if row is None:
        return None
    defaults = Settings._meta
    return BookingFacts(
        title=row[4],
        owned=int(row[3]),
        max_weeks=row[5] if row[5] is not None else defaults.get_field("max_weeks").default,
        hold_hours=row[6] if row[6] is not None else defaults.get_field("hold_hours").default,
        school_in_region=bool(row[7]),
        library_in_region=bool(row[8]),
        windows=[(_day(a), _day(z), int(n)) for kind, a, z, n, *_rest in rows if kind == 0],
        holidays=[
            HolidayPeriod(agency_id=agency_id, name=name, starts_on=_day(a), ends_on=_day(z))
            for kind, a, z, _n, name, *_rest in rows
            if kind == 1
        ],
    )
