"""The mobile library's part of the JSON API: the site's agency's stops, routes, and a stop's
concrete visits in a date range (the rule's dates minus public holidays and, for the stop types
that pause then, school holidays; cancelled dates are listed, marked cancelled, and one-off extra
visits marked extra), and the one-off changes of the whole timetable in a range: cancellations
and extra visits, with their reasons."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bokbro.core.apierrors import ApiError
from bokbro.core.pagination import LimitOffset
from bokbro.directory.tenancy import site_agency
from bokbro.mobile import recurrence, selectors
from bokbro.mobile.models import Cancellation, ExtraVisit, Route, Stop, Visit
from bokbro.mobile.selectors import (
    HORIZON,
    extras_of,
    occurrences,
    pause_kinds,
    school_holidays,
    visits_of,
)

router = Router(tags=["mobile"])
# The longest range of dates one request for visits may ask for.
MAX_RANGE = timedelta(days=3 * 366)


class StopOut(Schema):
    id: int
    name: str
    type: str = Field(
        ..., description="public, school, kindergarten, care_home, institution or workplace"
    )
    community: str
    municipality: str | None
    municipality_code: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    url: str

    @staticmethod
    def resolve_type(obj: Stop) -> str:
        return obj.kind

    @staticmethod
    def resolve_municipality(obj: Stop) -> str | None:
        return obj.municipality.name if obj.municipality else None

    @staticmethod
    def resolve_municipality_code(obj: Stop) -> str | None:
        return obj.municipality.code if obj.municipality else None

    @staticmethod
    def resolve_url(obj: Stop) -> str:
        return obj.get_absolute_url()


class RouteOut(Schema):
    id: int
    name: str
    vehicle: str
    stops: list[int] = Field(..., description="The stops' ids in the order of arrival.")
    url: str

    @staticmethod
    def resolve_vehicle(obj: Route) -> str:
        return obj.vehicle.name

    @staticmethod
    def resolve_stops(obj: Route) -> list[int]:
        seen: list[int] = []
        for visit in sorted(obj.visits.all(), key=lambda v: (v.arrival, v.pk)):
            if visit.stop_id not in seen:
                seen.append(visit.stop_id)
        return seen

    @staticmethod
    def resolve_url(obj: Route) -> str:
        return obj.get_absolute_url()


class VisitOut(Schema):
    date: date
    arrival: time
    departure: time
    route: str
    cancelled: bool
    extra: bool = Field(..., description="A one-off extra visit outside the visit rules.")
    reason: str = Field(
        ..., description="Why the visit is cancelled, or why there is an extra visit."
    )


class ChangeOut(Schema):
    kind: str = Field(..., description="`cancelled` or `extra`.")
    date: date
    arrival: time
    departure: time
    stop: int = Field(..., description="The stop's id.")
    stop_name: str
    route: str
    reason: str


class VisitRange(Schema):
    from_: date | None = Field(None, alias="from", description="First date (default: today).")
    to: date | None = Field(None, description="Last date (default: 120 days after `from`).")


@router.get("/stops", response=list[StopOut], url_name="mobile_stops")
@paginate(LimitOffset)
def stops(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The stops of this site's agency's mobile library."""
    return (
        Stop.objects.filter(agency=site_agency(request))
        .select_related("municipality")
        .order_by("community", "name", "pk")
    )


@router.get(
    "/stops/{stop_id}/visits",
    response={200: list[VisitOut]},
    url_name="mobile_stop_visits",
)
def stop_visits(request: HttpRequest, stop_id: int, period: Query[VisitRange]):  # type: ignore[no-untyped-def]
    """Each concrete visit to the stop from `from` to `to` (at most three years): public
    holidays and, for the stop types that pause then, school holidays left out; cancelled
    visits included with `cancelled` true and the reason; one-off extra visits with `extra`
    true and the reason."""
    agency = site_agency(request)
    stop = Stop.objects.filter(agency=agency, pk=stop_id).first() if 0 < stop_id < 2**63 else None
    if stop is None:
        raise Http404
    first, last = _range(period)
    holidays = school_holidays(agency)
    kinds = pause_kinds(agency)
    found = []
    for visit in visits_of(agency).filter(stop=stop):
        for o in occurrences(
            visit, first, last, country=agency.country, holidays=holidays, kinds=kinds
        ):
            found.append(
                {
                    "date": o.day,
                    "arrival": o.arrival,
                    "departure": o.departure,
                    "route": visit.route.name,
                    "cancelled": o.cancelled,
                    "extra": False,
                    "reason": o.reason,
                }
            )
    for extra in extras_of(agency, first, last).filter(stop=stop):
        found.append(
            {
                "date": extra.date,
                "arrival": extra.arrival,
                "departure": extra.departure,
                "route": extra.route.name,
                "cancelled": False,
                "extra": True,
                "reason": extra.reason,
            }
        )
    return sorted(found, key=lambda v: (v["date"], v["arrival"]))


@router.get("/changes", response=list[ChangeOut], url_name="mobile_changes")
@paginate(LimitOffset)
def changes(request: HttpRequest, period: Query[VisitRange]):  # type: ignore[no-untyped-def]
    """The one-off changes to the public timetable from `from` to `to` (at most three years),
    by date and time: each visit cancelled on a date it would have come (`kind` `cancelled`)
    and each extra visit (`kind` `extra`), with the stop, route and reason. Three queries."""
    agency = site_agency(request)
    first, last = _range(period)
    holidays = school_holidays(agency)
    kinds = pause_kinds(agency)
    off = recurrence.public_holidays(agency.country, first, last)
    found: list[dict[str, object]] = []
    cancellations = (
        Cancellation.objects.filter(
            visit__in=visits_of(agency).values("pk"), date__gte=first, date__lte=last
        )
        .select_related("visit__route", "visit__stop")
        .order_by("date", "visit__arrival", "pk")
    )
    for c in cancellations:
        visit = c.visit
        paused = visit.stop.kind in kinds and recurrence.in_periods(c.date, holidays)
        dates = recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, c.date, c.date)
        if c.date in off or paused or c.date not in dates:
            continue  # the bus would not have come that day anyway
        found.append(_change("cancelled", c.date, visit, visit.stop, visit.route, c.reason))
    for extra in extras_of(agency, first, last):
        found.append(_change("extra", extra.date, extra, extra.stop, extra.route, extra.reason))
    return sorted(found, key=lambda c: (c["date"], c["arrival"], c["stop"]))  # type: ignore[return-value]


@router.get("/routes", response=list[RouteOut], url_name="mobile_routes")
@paginate(LimitOffset)
def routes(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The routes of this site's agency's mobile libraries, each with its stops in order."""
    return (
        Route.objects.filter(agency=site_agency(request))
        .select_related("vehicle")
        .prefetch_related("visits")
        .order_by("vehicle__name", "name", "pk")
    )


def _range(period: VisitRange) -> tuple[date, date]:
    """The range asked for (today and 120 days by default); 422 naming `to` when it ends
    before it starts or is longer than three years."""
    first = period.from_ or selectors.today()
    last = period.to or first + HORIZON
    if last < first:
        raise ApiError(422, "range", "`to` is before `from`.", [_to("`to` is before `from`.")])
    if last - first > MAX_RANGE:
        raise ApiError(
            422,
            "range",
            "Ask for at most three years at a time.",
            [_to("Ask for at most three years at a time.")],
        )
    return first, last


def _change(
    kind: str, day: date, times: Visit | ExtraVisit, stop: Stop, route: Route, reason: str
) -> dict[str, object]:
    return {
        "kind": kind,
        "date": day,
        "arrival": times.arrival,
        "departure": times.departure,
        "stop": stop.pk,
        "stop_name": str(stop),
        "route": route.name,
        "reason": reason,
    }


def _to(message: str) -> dict[str, str]:
    return {"field": "to", "code": "range", "message": message}
