"""Import and export of the Libraries Hacked mobile library CSV schema (one row per stop visit
pattern: organisation, mobile, route, community, stop, address, postcode, geox, geoy, day, type,
arrival, departure, frequency, start, end, exceptions, timetable).

A file is read and checked whole first; one bad line rejects it with every problem by line and
field, and nothing is saved. A good file is saved in one transaction, keyed by vehicle name,
route name, stop (place and name) and arrival time, so importing it again changes nothing.
A stop's place (`community`) is linked to a directory municipality of the same name in the
agency's counties; stops from elsewhere (the UK sample files) keep their place as text only and
their coordinates are checked only as a point on Earth.

Size: one file format, read top to bottom.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality
from bokbro.mobile import recurrence
from bokbro.mobile.models import (
    Cancellation,
    Route,
    Stop,
    StopKind,
    TimetableVersion,
    Vehicle,
    Visit,
)
from bokbro.mobile.services import Slot, conflict, coordinates_error

COLUMNS = [
    "organisation",
    "mobile",
    "route",
    "community",
    "stop",
    "address",
    "postcode",
    "geox",
    "geoy",
    "day",
    "type",
    "arrival",
    "departure",
    "frequency",
    "start",
    "end",
    "exceptions",
    "timetable",
]
REQUIRED = ["mobile", "route", "stop", "arrival", "departure", "frequency", "start"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
KINDS = {
    "public": StopKind.PUBLIC,
    "school": StopKind.SCHOOL,
    "kindergarten": StopKind.KINDERGARTEN,
    "nursery": StopKind.KINDERGARTEN,
    "care home": StopKind.CARE_HOME,
    "care_home": StopKind.CARE_HOME,
    "institution": StopKind.INSTITUTION,
    "workplace": StopKind.WORKPLACE,
}
KIND_NAMES = {
    StopKind.PUBLIC: "Public",
    StopKind.SCHOOL: "School",
    StopKind.KINDERGARTEN: "Kindergarten",
    StopKind.CARE_HOME: "Care home",
    StopKind.INSTITUTION: "Institution",
    StopKind.WORKPLACE: "Workplace",
}
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s, %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Row:
    line: int
    organisation: str
    mobile: str
    route: str
    community: str
    stop: str
    address: str
    postcode: str
    longitude: Decimal | None
    latitude: Decimal | None
    kind: str
    arrival: time
    departure: time
    rule: str
    starts_on: date
    ends_on: date | None
    exceptions: list[date]
    timetable: str


@dataclass
class Result:
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1


def _decimal(value: str) -> Decimal:
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(Decimal("0.000001"))


def _time(value: str) -> time:
    return time.fromisoformat(value if len(value) > 4 else value.zfill(5))


def _dates(value: str) -> list[date]:
    parts = value.replace(";", ",").replace(" ", ",").split(",")
    return sorted({date.fromisoformat(p) for p in parts if p})


# Size: one row's fields checked in the order of the columns; each check is two lines.
def _row(line: int, raw: dict[str, str], problems: list[Problem]) -> Row | None:
    values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(line, column, message))

    for column in REQUIRED:
        if not values[column]:
            bad(column, _("This field is empty."))
    parsed: dict[str, object] = {}
    for column, parse, message in [
        ("geox", _decimal, _("Not a number.")),
        ("geoy", _decimal, _("Not a number.")),
        ("arrival", _time, _("Not a time (HH:MM).")),
        ("departure", _time, _("Not a time (HH:MM).")),
        ("start", date.fromisoformat, _("Not a date (YYYY-MM-DD).")),
        ("end", date.fromisoformat, _("Not a date (YYYY-MM-DD).")),
        ("exceptions", _dates, _("Not a list of dates (YYYY-MM-DD).")),
    ]:
        if values[column]:
            try:
                parsed[column] = parse(values[column])  # type: ignore[operator]
            except (ValueError, InvalidOperation):
                bad(column, message)
    kind = KINDS.get(values["type"].lower() or "public")
    if kind is None:
        bad("type", _("Unknown stop type “%(type)s”.") % {"type": values["type"]})
    longitude, latitude = parsed.get("geox"), parsed.get("geoy")
    if (longitude is None) != (latitude is None) and not {"geox", "geoy"} & {
        p.column for p in problems[before:]
    }:
        bad("geoy" if latitude is None else "geox", _("Enter both geox and geoy, or neither."))
    elif isinstance(latitude, Decimal) and isinstance(longitude, Decimal):
        message = coordinates_error("", latitude, longitude)
        if message:
            bad("geoy", message)
    arrival, departure = parsed.get("arrival"), parsed.get("departure")
    if isinstance(arrival, time) and isinstance(departure, time) and departure < arrival:
        bad("departure", _("The mobile library cannot leave before it arrives."))
    starts_on, ends_on = parsed.get("start"), parsed.get("end")
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        bad("end", _("The last visit cannot be before the first."))
    rule = ""
    if isinstance(starts_on, date) and values["frequency"]:
        try:
            rule = recurrence.check(
                values["frequency"], starts_on, ends_on if isinstance(ends_on, date) else None
            )
        except recurrence.RuleError as error:
            bad("frequency", str(error))
        day = values["day"]
        if day and day.capitalize() in DAYS and DAYS.index(day.capitalize()) != starts_on.weekday():
            bad(
                "day",
                _("The first visit, %(date)s, is not a %(day)s.")
                % {
                    "date": starts_on.isoformat(),
                    "day": day,
                },
            )
        elif day and day.capitalize() not in DAYS:
            bad("day", _("Not a weekday in English (Monday … Sunday)."))
    if len(problems) > before:
        return None
    return Row(
        line=line,
        organisation=values["organisation"],
        mobile=values["mobile"],
        route=values["route"],
        community=values["community"],
        stop=values["stop"],
        address=values["address"],
        postcode=values["postcode"],
        longitude=longitude,  # type: ignore[arg-type]
        latitude=latitude,  # type: ignore[arg-type]
        kind=kind or StopKind.PUBLIC,
        arrival=arrival,  # type: ignore[arg-type]
        departure=departure,  # type: ignore[arg-type]
        rule=rule,
        starts_on=starts_on,  # type: ignore[arg-type]
        ends_on=ends_on,  # type: ignore[arg-type]
        exceptions=parsed.get("exceptions", []),  # type: ignore[arg-type]
        timetable=values["timetable"],
    )


def read(text: str) -> list[Row]:
    """Every row of the file, or ImportFailed with every problem by line and column."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [Problem(1, ", ".join(missing), _("These columns are missing from the header."))]
        )
    problems: list[Problem] = []
    rows: list[Row] = []
    keys: dict[tuple[str, str, str, str, time], int] = {}
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            problems.append(Problem(number, "", _("A file has at most 5000 rows.")))
            break
        raw = {(k or "").strip(): v for k, v in raw.items() if isinstance(v, str)}
        row = _row(number, raw, problems)
        if row is None:
            continue
        key = (row.mobile, row.route, row.community, row.stop, row.arrival)
        if key in keys:
            problems.append(
                Problem(
                    number, "stop", _("The same visit is on line %(line)s.") % {"line": keys[key]}
                )
            )
            continue
        keys[key] = number
        rows.append(row)
    if problems:
        raise ImportFailed(problems)
    if not rows:
        raise ImportFailed([Problem(2, "", _("The file has no rows."))])
    return rows


def conflicts(rows: list[Row]) -> list[Problem]:
    """One vehicle in two places at once, within the file: warnings, since published timetables
    have such slips (Essex's weeks 2 and 3 of the Friday route start on the same day) and the
    file is imported as published; staff correct the visits in the forms, which refuse them."""
    by_vehicle: dict[str, list[tuple[Row, Slot]]] = {}
    problems = []
    for row in rows:
        slot = Slot(
            key=row.line,
            vehicle=row.mobile,
            stop=f"{row.stop} ({row.community})" if row.community else row.stop,
            arrival=row.arrival,
            departure=row.departure,
            rule=row.rule,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            cancelled=frozenset(row.exceptions),
        )
        earlier = by_vehicle.setdefault(row.mobile, [])
        message = conflict(slot, [s for _r, s in earlier])
        if message:
            problems.append(Problem(row.line, "arrival", message))
        earlier.append((row, slot))
    return problems


# Size: the save of a whole file in one transaction, with the existing rows read up front so
# a file costs a few queries per new row and none per unchanged one.
@transaction.atomic
def save(*, actor: Actor | None, agency: Agency, rows: Iterable[Row]) -> Result:
    result = Result()
    vehicles = {v.name: v for v in Vehicle.objects.filter(agency=agency)}
    routes = {(r.vehicle_id, r.name): r for r in Route.objects.filter(agency=agency)}
    stops = {(s.community, s.name): s for s in Stop.objects.filter(agency=agency)}
    visits = {
        (v.route_id, v.stop_id, v.arrival): v
        # The file is the timetable outside terms; a term's visits are staff's own.
        for v in Visit.objects.filter(agency=agency, term__isnull=True).prefetch_related(
            "cancellations"
        )
    }
    municipalities = {
        m.name.lower(): m
        for m in Municipality.objects.filter(county_id__in=agency_county_ids(agency))
    }
    for row in rows:
        result.rows += 1
        vehicle = vehicles.get(row.mobile)
        if vehicle is None:
            vehicle = Vehicle.objects.create(
                agency=agency, name=row.mobile, operator=row.organisation
            )
            vehicles[row.mobile] = vehicle
            result.add("vehicles")
        route = routes.get((vehicle.pk, row.route))
        if route is None:
            route = Route.objects.create(agency=agency, vehicle=vehicle, name=row.route)
            routes[(vehicle.pk, row.route)] = route
            result.add("routes")
        stop = stops.get((row.community, row.stop))
        if stop is None:
            stop = Stop.objects.create(
                agency=agency,
                name=row.stop,
                community=row.community,
                kind=row.kind,
                address=row.address,
                postcode=row.postcode,
                latitude=row.latitude,
                longitude=row.longitude,
                municipality=municipalities.get(row.community.lower()),
            )
            stops[(row.community, row.stop)] = stop
            result.add("stops")
        fields = {
            "departure": row.departure,
            "rule": row.rule,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "timetable_url": row.timetable,
        }
        visit = visits.get((route.pk, stop.pk, row.arrival))
        if visit is None:
            visit = Visit.objects.create(
                agency=agency, route=route, stop=stop, arrival=row.arrival, **fields
            )
            visits[(route.pk, stop.pk, row.arrival)] = visit
            result.add("visits")
            known: set[date] = set()
        else:
            if any(getattr(visit, k) != v for k, v in fields.items()):
                Visit.objects.filter(pk=visit.pk).update(**fields)
                result.add("changed")
            known = {c.date for c in visit.cancellations.all()}
        new = [Cancellation(visit=visit, date=d) for d in row.exceptions if d not in known]
        if new:
            Cancellation.objects.bulk_create(new)
            result.add("cancellations")
    if result.created:
        TimetableVersion.bump(agency)
    audit_log(
        action="mobile.timetable.imported",
        actor=actor,
        agency=agency,
        data={"rows": result.rows, **result.created},
    )
    return result


def import_text(*, actor: Actor | None, agency: Agency, text: str) -> Result:
    """Read and check the whole file, then save it; ImportFailed and nothing saved if any line
    is bad. Visits of one vehicle at the same time come back as warnings."""
    rows = read(text)
    result = save(actor=actor, agency=agency, rows=rows)
    result.warnings = conflicts(rows)
    return result


def export_rows(agency: Agency) -> list[dict[str, str]]:
    visits = (
        # What the public sees today: a draft term is not exported before its day.
        Visit.objects.filter(agency=agency)
        .public(timezone.localdate())
        .select_related("route__vehicle", "stop")
        .prefetch_related("cancellations")
        .order_by("route__vehicle__name", "route__name", "arrival", "pk")
    )
    rows = []
    for visit in visits:
        stop = visit.stop
        rows.append(
            {
                "organisation": visit.route.vehicle.operator or agency.name,
                "mobile": visit.route.vehicle.name,
                "route": visit.route.name,
                "community": stop.community,
                "stop": stop.name,
                "address": stop.address,
                "postcode": stop.postcode,
                "geox": "" if stop.longitude is None else str(stop.longitude),
                "geoy": "" if stop.latitude is None else str(stop.latitude),
                "day": DAYS[visit.starts_on.weekday()],
                "type": KIND_NAMES.get(StopKind(stop.kind), "Public"),
                "arrival": f"{visit.arrival:%H:%M}",
                "departure": f"{visit.departure:%H:%M}",
                "frequency": visit.rule,
                "start": visit.starts_on.isoformat(),
                "end": visit.ends_on.isoformat() if visit.ends_on else "",
                "exceptions": ",".join(c.date.isoformat() for c in visit.cancellations.all()),
                "timetable": visit.timetable_url,
            }
        )
    return rows


def export_text(agency: Agency) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export_rows(agency))
    return out.getvalue()
