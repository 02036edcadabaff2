"""Every write of the mobile library, with its rules: a stop's municipality is one the agency
serves and its coordinates lie in that country; a visit's rule gives a date in its term, it
departs after it arrives, and its vehicle is not somewhere else at the same time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality
from bokbro.mobile import following, recurrence
from bokbro.mobile.models import (
    Cancellation,
    ExtraVisit,
    PauseKinds,
    Route,
    SchoolHoliday,
    Stop,
    StopKind,
    Term,
    TimetableVersion,
    Vehicle,
    Visit,
    VisitCount,
)

# Latitude and longitude boxes around each country (mainland and coastal islands).
COUNTRY_BOXES = {
    "NO": ((57.9, 71.3), (4.0, 31.5)),
    "SE": ((55.1, 69.1), (10.9, 24.2)),
}
# Two visits of one vehicle are compared over at most this long.
CONFLICT_HORIZON = timedelta(days=2 * 366)


def coordinates_error(country: str, latitude: Decimal | None, longitude: Decimal | None) -> str:
    """A message if the point is not in `country` (or not on Earth), else ''."""
    if latitude is None and longitude is None:
        return ""
    if latitude is None or longitude is None:
        return _("Enter both latitude and longitude, or neither.")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return _("Latitude is between -90 and 90, longitude between -180 and 180.")
    box = COUNTRY_BOXES.get(country)
    if box and not (box[0][0] <= latitude <= box[0][1] and box[1][0] <= longitude <= box[1][1]):
        return _(
            "The point %(lat)s, %(lon)s is outside %(country)s: check latitude and longitude."
        ) % {
            "lat": latitude,
            "lon": longitude,
            "country": {"NO": _("Norway"), "SE": _("Sweden")}.get(country, country),
        }
    return ""


def _save(instance: object, *, actor: Actor | None, agency: Agency, action: str) -> None:
    instance.full_clean()  # type: ignore[attr-defined]
    instance.save()  # type: ignore[attr-defined]
    TimetableVersion.bump(agency)
    audit_log(action=action, actor=actor, agency=agency, target=instance)  # type: ignore[arg-type]


@transaction.atomic
def vehicle_save(*, actor: Actor | None, agency: Agency, vehicle: Vehicle) -> Vehicle:
    vehicle.agency = agency
    _save(vehicle, actor=actor, agency=agency, action="mobile.vehicle.saved")
    return vehicle


@transaction.atomic
def route_save(*, actor: Actor | None, agency: Agency, route: Route) -> Route:
    if route.vehicle.agency_id != agency.pk:
        raise ValidationError({"vehicle": _("Choose one of your own mobile libraries.")})
    route.agency = agency
    _save(route, actor=actor, agency=agency, action="mobile.route.saved")
    return route


def check_stop(agency: Agency, stop: Stop) -> None:
    errors: dict[str, str] = {}
    municipality: Municipality | None = stop.municipality
    if municipality is not None and municipality.county_id not in agency_county_ids(agency):
        errors["municipality"] = _("%(municipality)s is not in a county your agency serves.") % {
            "municipality": municipality.name
        }
    country = municipality.country if municipality is not None else ""
    message = coordinates_error(country, stop.latitude, stop.longitude)
    if message:
        errors["latitude"] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def stop_save(*, actor: Actor | None, agency: Agency, stop: Stop) -> Stop:
    stop.agency = agency
    check_stop(agency, stop)
    _save(stop, actor=actor, agency=agency, action="mobile.stop.saved")
    return stop


@dataclass(frozen=True)
class Slot:
    """What the conflict check needs of a visit."""

    key: object
    vehicle: str
    stop: str
    arrival: time
    departure: time
    rule: str
    starts_on: date
    ends_on: date | None
    cancelled: frozenset[date] = frozenset()


def _slot(visit: Visit) -> Slot:
    return Slot(
        key=visit.pk,
        vehicle=visit.route.vehicle.name,
        stop=str(visit.stop),
        arrival=visit.arrival,
        departure=visit.departure,
        rule=visit.rule,
        starts_on=visit.starts_on,
        ends_on=visit.ends_on,
        cancelled=frozenset(c.date for c in visit.cancellations.all()) if visit.pk else frozenset(),
    )


def conflict(new: Slot, others: Iterable[Slot]) -> str:
    """A message if the vehicle of `new` is elsewhere at the same time on a common date."""
    for other in others:
        if other.key == new.key and new.key is not None:
            continue
        overlaps = new.arrival < other.departure and other.arrival < new.departure
        if not overlaps and new.arrival != other.arrival:
            continue
        first = max(new.starts_on, other.starts_on)
        last = min(
            d for d in (new.ends_on, other.ends_on, first + CONFLICT_HORIZON) if d is not None
        )
        if last < first or not recurrence.may_share_a_day(
            new.rule, new.starts_on, other.rule, other.starts_on
        ):
            continue
        mine = set(recurrence.rule_dates(new.rule, new.starts_on, new.ends_on, first, last))
        theirs = recurrence.rule_dates(other.rule, other.starts_on, other.ends_on, first, last)
        common = sorted(
            d for d in theirs if d in mine and d not in other.cancelled and d not in new.cancelled
        )
        if common:
            return _(
                "%(vehicle)s is at %(stop)s from %(arrival)s to %(departure)s on %(date)s: "
                "one mobile library cannot be in two places at once."
            ) % {
                "vehicle": other.vehicle,
                "stop": other.stop,
                "arrival": f"{other.arrival:%H:%M}",
                "departure": f"{other.departure:%H:%M}",
                "date": common[0].isoformat(),
            }
    return ""


def check_visit(agency: Agency, visit: Visit) -> None:
    """Every rule of a visit, as field errors; the vehicle's other visits are read with their
    cancellations in two queries."""
    errors: dict[str, str] = {}
    if visit.route.agency_id != agency.pk:
        errors["route"] = _("Choose one of your own routes.")
    if visit.stop.agency_id != agency.pk:
        errors["stop"] = _("Choose one of your own stops.")
    if visit.arrival and visit.departure and visit.departure < visit.arrival:
        errors["departure"] = _("The mobile library cannot leave before it arrives.")
    if visit.ends_on and visit.starts_on and visit.ends_on < visit.starts_on:
        errors["ends_on"] = _("The last visit cannot be before the first.")
    term = visit.term
    if term is not None and not errors:
        if term.agency_id != agency.pk:
            errors["term"] = _("Choose one of your own terms.")
        elif visit.ends_on is None:
            visit.ends_on = term.ends_on
        if visit.starts_on < term.starts_on or (visit.ends_on and visit.ends_on > term.ends_on):
            errors["starts_on"] = _("The visits of %(term)s are from %(first)s to %(last)s.") % {
                "term": term.name,
                "first": term.starts_on.isoformat(),
                "last": term.ends_on.isoformat(),
            }
    if not errors:
        try:
            visit.rule = recurrence.check(visit.rule, visit.starts_on, visit.ends_on)
        except recurrence.RuleError as error:
            errors["rule"] = str(error)
    if not errors:
        holidays = school_holidays_of(agency)
        kinds = PauseKinds.of(agency)
        others = (
            Visit.objects.filter(route__vehicle_id=visit.route.vehicle_id)
            .exclude(pk=visit.pk)
            .select_related("route__vehicle", "stop")
            .prefetch_related("cancellations")
        )
        extras = [
            _extra_slot(extra)
            for extra in ExtraVisit.objects.filter(
                route__vehicle_id=visit.route.vehicle_id
            ).select_related("route__vehicle", "stop")
            if not _day_off(agency, visit.stop, extra.date, holidays, kinds)
        ]
        message = conflict(_slot(visit), [*(_slot(other) for other in others), *extras])
        if message:
            errors["arrival"] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_save(*, actor: Actor | None, agency: Agency, visit: Visit) -> Visit:
    # The vehicle's row is locked so two staff cannot book it twice for the same hour.
    Vehicle.objects.select_for_update().get(pk=visit.route.vehicle_id)
    visit.agency = agency
    check_visit(agency, visit)
    _save(visit, actor=actor, agency=agency, action="mobile.visit.saved")
    return visit


@transaction.atomic
def visit_delete(*, actor: Actor | None, agency: Agency, visit: Visit) -> None:
    audit_log(action="mobile.visit.deleted", actor=actor, agency=agency, target=visit)
    visit.delete()
    TimetableVersion.bump(agency)


@transaction.atomic
def visit_cancel(
    *, actor: Actor | None, agency: Agency, visit: Visit, day: date, reason: str
) -> Cancellation:
    """Cancel one date of a visit, with a reason the public pages show."""
    if day not in recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, day, day):
        raise ValidationError({"date": _("The mobile library does not come here on that date.")})
    cancellation, created = Cancellation.objects.update_or_create(
        visit=visit, date=day, defaults={"reason": reason}
    )
    TimetableVersion.bump(agency)
    if created:
        following.change_notify(
            stop_id=visit.stop_id,
            route=visit.route,
            day=day,
            arrival=visit.arrival,
            departure=visit.departure,
            change="cancelled",
            reason=reason,
        )
    audit_log(
        action="mobile.visit.cancelled",
        actor=actor,
        agency=agency,
        target=visit,
        data={"date": day.isoformat(), "reason": reason},
    )
    return cancellation


@transaction.atomic
def term_save(*, actor: Actor | None, agency: Agency, term: Term) -> Term:
    """A term, or its publication day: the public sees its visits from that day on (the kept
    pages are by day, so they change on that morning)."""
    term.agency = agency
    if term.ends_on and term.starts_on and term.ends_on < term.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    if term.pk is not None:
        outside = term.visits.filter(Q(starts_on__lt=term.starts_on) | Q(ends_on__gt=term.ends_on))
        if outside.exists():
            raise ValidationError(
                {
                    "starts_on": _(
                        "Some visits of this term fall outside these days: change them first."
                    )
                }
            )
    _save(term, actor=actor, agency=agency, action="mobile.term.saved")
    return term


@transaction.atomic
def holiday_save(*, actor: Actor | None, agency: Agency, holiday: SchoolHoliday) -> SchoolHoliday:
    holiday.agency = agency
    if holiday.ends_on and holiday.starts_on and holiday.ends_on < holiday.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    _save(holiday, actor=actor, agency=agency, action="mobile.holiday.saved")
    return holiday


@transaction.atomic
def holiday_delete(*, actor: Actor | None, agency: Agency, holiday: SchoolHoliday) -> None:
    audit_log(action="mobile.holiday.deleted", actor=actor, agency=agency, target=holiday)
    holiday.delete()
    TimetableVersion.bump(agency)


def _extra_slot(extra: ExtraVisit) -> Slot:
    return Slot(
        key=("extra", extra.pk),
        vehicle=extra.route.vehicle.name,
        stop=str(extra.stop),
        arrival=extra.arrival,
        departure=extra.departure,
        rule="FREQ=DAILY",
        starts_on=extra.date,
        ends_on=extra.date,
    )


def _day_off(
    agency: Agency,
    stop: Stop,
    day: date,
    holidays: list[tuple[date, date]],
    kinds: frozenset[str],
) -> bool:
    """The stop's regular visits do not happen on `day` (a public holiday or, for the stop
    types that pause then, a school holiday)."""
    if day in recurrence.public_holidays(agency.country, day, day):
        return True
    return stop.kind in kinds and recurrence.in_periods(day, holidays)


def school_holidays_of(agency: Agency) -> list[tuple[date, date]]:
    return list(SchoolHoliday.objects.filter(agency=agency).values_list("starts_on", "ends_on"))


def check_extra(agency: Agency, extra: ExtraVisit) -> None:
    """An extra visit's rules, as field errors: its vehicle is not elsewhere at the time (a
    regular visit that happens that day, or another extra visit)."""
    errors: dict[str, str] = {}
    if extra.route.agency_id != agency.pk:
        errors["route"] = _("Choose one of your own routes.")
    if extra.stop.agency_id != agency.pk:
        errors["stop"] = _("Choose one of your own stops.")
    if extra.arrival and extra.departure and extra.departure < extra.arrival:
        errors["departure"] = _("The mobile library cannot leave before it arrives.")
    if not errors:
        vehicle = extra.route.vehicle_id
        holidays = school_holidays_of(agency)
        kinds = PauseKinds.of(agency)
        regular = [
            replace(_slot(other), cancelled=_slot(other).cancelled | {extra.date})
            if _day_off(agency, other.stop, extra.date, holidays, kinds)
            else _slot(other)
            for other in Visit.objects.filter(route__vehicle_id=vehicle)
            .select_related("route__vehicle", "stop")
            .prefetch_related("cancellations")
        ]
        extras = [
            _extra_slot(other)
            for other in ExtraVisit.objects.filter(route__vehicle_id=vehicle, date=extra.date)
            .exclude(pk=extra.pk)
            .select_related("route__vehicle", "stop")
        ]
        message = conflict(_extra_slot(extra), [*regular, *extras])
        if message:
            errors["arrival"] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def extra_save(*, actor: Actor | None, agency: Agency, extra: ExtraVisit) -> ExtraVisit:
    """Add (or change) a one-off visit; the stop's followers hear of a new one at once."""
    Vehicle.objects.select_for_update().get(pk=extra.route.vehicle_id)
    extra.agency = agency
    created = extra.pk is None
    check_extra(agency, extra)
    _save(extra, actor=actor, agency=agency, action="mobile.extra.saved")
    if created:
        following.change_notify(
            stop_id=extra.stop_id,
            route=extra.route,
            day=extra.date,
            arrival=extra.arrival,
            departure=extra.departure,
            change="extra",
            reason=extra.reason,
        )
    return extra


@transaction.atomic
def extra_delete(
    *, actor: Actor | None, agency: Agency, extra: ExtraVisit, reason: str = ""
) -> None:
    """Call off an extra visit: the stop's followers hear at once that it is cancelled."""
    audit_log(action="mobile.extra.deleted", actor=actor, agency=agency, target=extra)
    following.change_notify(
        stop_id=extra.stop_id,
        route=extra.route,
        day=extra.date,
        arrival=extra.arrival,
        departure=extra.departure,
        change="cancelled",
        reason=reason,
    )
    extra.delete()
    TimetableVersion.bump(agency)


@transaction.atomic
def count_save(
    *,
    actor: Actor | None,
    agency: Agency,
    visit: Visit,
    day: date,
    loans: int,
    returns: int,
    visitors: int,
) -> VisitCount:
    """What was counted at the stop on one date of the visit; entering the same date again
    corrects it."""
    if visit.agency_id != agency.pk:
        raise ValidationError({"date": _("Choose one of your own visits.")})
    if day not in recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, day, day):
        raise ValidationError({"date": _("The mobile library does not come here on that date.")})
    count, _created = VisitCount.objects.update_or_create(
        visit=visit,
        date=day,
        defaults={
            "agency": agency,
            "loans": loans,
            "returns": returns,
            "visitors": visitors,
        },
    )
    audit_log(
        action="mobile.count.saved",
        actor=actor,
        agency=agency,
        target=visit,
        data={"date": day.isoformat(), "loans": loans, "returns": returns, "visitors": visitors},
    )
    return count


@transaction.atomic
def pause_kinds_save(*, actor: Actor | None, agency: Agency, kinds: Iterable[str]) -> None:
    """Which stop types pause in the school holidays (schools and kindergartens until the
    agency chooses)."""
    chosen = sorted({kind for kind in kinds if kind in StopKind.values})
    PauseKinds.objects.update_or_create(agency=agency, defaults={"kinds": ",".join(chosen)})
    TimetableVersion.bump(agency)
    audit_log(action="mobile.pause_kinds.saved", actor=actor, agency=agency, data={"kinds": chosen})
