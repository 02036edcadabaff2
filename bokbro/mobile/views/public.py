"""The public timetable: the mobile library's municipalities, a municipality's stops with their
next visits, a stop, a route and a vehicle; each with its iCalendar feed. Plain HTML lists that
work without JavaScript; a map of the stops only where a tile server is configured."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bokbro.core.types import AgencyRequest
from bokbro.directory.models import Agency, Municipality
from bokbro.events import page_cache
from bokbro.mobile import selectors
from bokbro.mobile.access import public_object, served_municipality
from bokbro.mobile.feeds import calendar_response
from bokbro.mobile.forms import FollowForm
from bokbro.mobile.models import ExtraVisit, Route, Stop, TimetableVersion, Vehicle
from bokbro.mobile.pdf import pdf_response, timetable_pdf
from bokbro.mobile.selectors import HORIZON, by_stop, extras_of, timetable, visits_of


def _agency(request: AgencyRequest) -> Agency:
    agency = getattr(request, "agency", None)
    if agency is None:
        raise Http404
    return agency


def map_points(stops: Iterable[Stop]) -> list[dict[str, Any]]:
    """The stops with coordinates, for the map; none where no tile server is configured."""
    if not settings.MOBILE_MAP_TILES:
        return []
    return [
        {
            "name": str(stop),
            "lat": float(stop.latitude),
            "lon": float(stop.longitude),
            "url": stop.get_absolute_url(),
        }
        for stop in stops
        if stop.latitude is not None and stop.longitude is not None
    ]


def _map(stops: Iterable[Stop]) -> dict[str, Any]:
    points = map_points(stops)
    return {
        "map_points": points,
        "map_tiles": settings.MOBILE_MAP_TILES if points else "",
        "map_attribution": settings.MOBILE_MAP_ATTRIBUTION,
    }


def index(request: AgencyRequest) -> HttpResponse:
    agency = getattr(request, "agency", None)
    municipalities = (
        Municipality.objects.filter(mobile_stops__agency=agency)
        .annotate(stop_count=Count("mobile_stops", filter=Q(mobile_stops__agency=agency)))
        .order_by("name")
        if agency
        else Municipality.objects.none()
    )
    vehicles = (
        Vehicle.objects.filter(agency=agency).prefetch_related("routes")
        if agency
        else Vehicle.objects.none()
    )
    return render(
        request, "mobile/index.html", {"municipalities": municipalities, "vehicles": vehicles}
    )


def _kept(
    request: AgencyRequest, agency: Agency, page: Callable[[dict[str, Any]], HttpResponse]
) -> HttpResponse:
    """The page an anonymous visitor without a session gets from the cache (events.page_cache)
    while the agency's timetable is unchanged (`TimetableVersion`) and the day is the same: the
    timetable's dates are counted from today. `page` makes the access check (a stop of the
    agency, a municipality it serves) and is called only when no page is kept: a kept page was
    built after that check passed, under the same path, and a change of the timetable (a stop
    deleted, say) raises the version, so a kept page needs no query of its own (a change of the
    counties an agency serves, made in the admin, shows when kept pages end, within
    `page_cache.SECONDS`). Measured:
    bench/mobile_library.py and bench/mobile_page_http.py (docs/performance.md)."""
    version = f"{TimetableVersion.of(agency)}:{settings.MOBILE_MAP_TILES}"
    return page_cache.anonymous_page(
        request, agency, version, lambda csrf_token: page({"csrf_token": csrf_token})
    )


def municipality(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)

    def page(context: dict[str, Any]) -> HttpResponse:
        place = served_municipality(request, pk)
        today = selectors.today()
        lines = timetable(
            agency,
            visits_of(agency).filter(stop__municipality=place),
            today,
            today + HORIZON,
            limit=3,
        )
        extras = extras_of(agency, today, today + HORIZON).filter(stop__municipality=place)
        stops = by_stop(lines, extras)
        return render(
            request,
            "mobile/municipality.html",
            {"place": place, "stops": stops, **_map(s.stop for s in stops), **context},
        )

    return _kept(request, agency, page)


def stop(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)

    def page(context: dict[str, Any]) -> HttpResponse:
        found = public_object(request, Stop.objects.select_related("municipality"), pk)
        today = selectors.today()
        visits = visits_of(agency).filter(stop=found)
        lines = timetable(agency, visits, today, today + HORIZON, limit=8)
        return render(
            request,
            "mobile/stop.html",
            {
                "stop": found,
                "lines": lines,
                "extras": extras_of(agency, today, today + HORIZON).filter(stop=found),
                "follow_form": FollowForm(),
                "pauses_in_holidays": found.kind in selectors.pause_kinds(agency),
                **_map([found]),
                **context,
            },
        )

    return _kept(request, agency, page)


def route(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    found = public_object(request, Route.objects.select_related("vehicle"), pk)
    today = selectors.today()
    lines = timetable(
        agency,
        visits_of(agency).filter(route=found).order_by("arrival", "pk"),
        today,
        today + timedelta(days=70),
        limit=3,
    )
    extras = extras_of(agency, today, today + timedelta(days=70)).filter(route=found)
    return render(
        request,
        "mobile/route.html",
        {
            "route": found,
            "lines": lines,
            "extras": extras,
            **_map(line.visit.stop for line in lines),
        },
    )


def vehicle(request: AgencyRequest, pk: int) -> HttpResponse:
    found = public_object(request, Vehicle.objects.prefetch_related("routes"), pk)
    return render(request, "mobile/vehicle.html", {"vehicle": found})


def stop_ics(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    found = public_object(request, Stop.objects.all(), pk)
    return calendar_response(
        str(found),
        agency,
        visits_of(agency).filter(stop=found),
        f"stop-{found.pk}.ics",
        extras=ExtraVisit.objects.filter(agency=agency, stop=found).for_timetable(),
    )


def route_ics(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    found = public_object(request, Route.objects.select_related("vehicle"), pk)
    return calendar_response(
        str(found),
        agency,
        visits_of(agency).filter(route=found),
        f"route-{found.pk}.ics",
        extras=ExtraVisit.objects.filter(agency=agency, route=found).for_timetable(),
    )


def vehicle_ics(request: AgencyRequest, pk: int) -> HttpResponse:
    agency = _agency(request)
    found = public_object(request, Vehicle.objects.all(), pk)
    return calendar_response(
        found.name,
        agency,
        visits_of(agency).filter(route__vehicle=found),
        f"mobile-library-{found.pk}.ics",
        extras=ExtraVisit.objects.filter(agency=agency, route__vehicle=found).for_timetable(),
    )


# How many next dates a printed timetable lists per visit.
PDF_DATES = 6


def municipality_pdf(request: AgencyRequest, pk: int) -> HttpResponse:
    """The municipality's timetable to print: each stop with its rules, times and next dates."""
    agency = _agency(request)
    place = served_municipality(request, pk)
    today = selectors.today()
    lines = timetable(
        agency,
        visits_of(agency).filter(stop__municipality=place),
        today,
        today + HORIZON,
        limit=PDF_DATES,
    )
    extras = extras_of(agency, today, today + HORIZON).filter(stop__municipality=place)
    content = timetable_pdf(
        agency,
        {
            "title": _("Mobile library in %(place)s") % {"place": place.name},
            "subtitle": agency.shown_name,
            "stops": by_stop(lines, extras),
            "show_route": True,
            "web_address": agency.absolute(reverse("mobile:municipality", args=[place.pk])),
        },
    )
    return pdf_response(content, f"mobile-library-{slugify(place.name)}.pdf")


def route_pdf(request: AgencyRequest, pk: int) -> HttpResponse:
    """The route's timetable to print: its stops in the order the bus comes."""
    agency = _agency(request)
    found = public_object(request, Route.objects.select_related("vehicle"), pk)
    today = selectors.today()
    lines = timetable(
        agency,
        visits_of(agency).filter(route=found).order_by("arrival", "pk"),
        today,
        today + HORIZON,
        limit=PDF_DATES,
    )
    extras = extras_of(agency, today, today + HORIZON).filter(route=found)
    stops = sorted(
        by_stop(lines, extras),
        key=lambda entry: min(
            [line.visit.arrival for line in entry.lines] + [e.arrival for e in entry.extras]
        ),
    )
    content = timetable_pdf(
        agency,
        {
            "title": str(found),
            "subtitle": agency.shown_name,
            "stops": stops,
            "show_route": False,
            "web_address": agency.absolute(reverse("mobile:route", args=[found.pk])),
        },
    )
    return pdf_response(content, f"route-{found.pk}.pdf")
