"""The demo timetable in use, loaded after the timetable itself (mobile/demo.py): the school
year as a public term and next school year copied from it as a draft; a visit cancelled and an
extra visit added, each with its reason; what was counted at the stops in the autumn; and a few
confirmed followers of a village stop. Idempotent: each part is made only when it is missing."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.utils import timezone

from bokbro.directory.models import Agency
from bokbro.mobile import recurrence, services, terms
from bokbro.mobile.models import (
    ExtraVisit,
    Follower,
    PauseKinds,
    Stop,
    Term,
    Visit,
    VisitCount,
)

COUNTED = (date(2026, 8, 17), date(2026, 11, 30))


@dataclass(frozen=True)
class Season:
    term: str
    starts_on: date
    ends_on: date
    next_term: str
    next_starts_on: date
    next_ends_on: date
    stop: str  # a village stop: cancelled once, an extra visit, followers
    cancel_from: date
    cancel_reason: str
    extra_on: date
    extra_reason: str
    vehicle: str  # whose autumn is counted
    language: str


SEASONS = {
    "ostfold": Season(
        term="Skoleåret 2026–27",
        starts_on=date(2026, 8, 17),
        ends_on=date(2027, 6, 18),
        next_term="Skoleåret 2027–28",
        next_starts_on=date(2027, 8, 16),
        next_ends_on=date(2028, 6, 16),
        stop="Båstad butikk",
        cancel_from=date(2027, 1, 11),
        cancel_reason="Bussen er på verksted for EU-kontroll.",
        extra_on=date(2027, 3, 3),
        extra_reason="Ekstra besøk i vinterferien, med lesestund for barna.",
        vehicle="Bokbussen Indre Østfold",
        language="nb",
    ),
    "jonkoping": Season(
        term="Läsåret 2026/27",
        starts_on=date(2026, 8, 17),
        ends_on=date(2027, 6, 18),
        next_term="Läsåret 2027/28",
        next_starts_on=date(2027, 8, 16),
        next_ends_on=date(2028, 6, 16),
        stop="Kaxholmen",
        cancel_from=date(2027, 1, 11),
        cancel_reason="Bussen är på verkstad.",
        extra_on=date(2027, 2, 17),
        extra_reason="Extra besök på sportlovet, med sagostund.",
        vehicle="Bokbussen Jönköping",
        language="sv",
    ),
}
FOLLOWERS = ("lesehesten@example.org", "bestemor.berit@example.org", "nabo@example.org")


def load(agency: Agency, actor: Any, vehicles: list[str]) -> list[str]:
    """The season of `agency`'s demo timetable (its `vehicles`), part by part."""
    season = SEASONS.get(agency.slug)
    if season is None:
        return []
    common = {"actor": actor, "agency": agency}
    made: list[str] = []
    current = Term.objects.filter(agency=agency, name=season.term).first()
    if current is None:
        current = services.term_save(
            term=Term(
                name=season.term,
                starts_on=season.starts_on,
                ends_on=season.ends_on,
                publish_on=date(2026, 6, 1),
            ),
            **common,
        )
        # The demo's visits are this term's timetable.
        for visit in Visit.objects.filter(
            agency=agency, term=None, route__vehicle__name__in=vehicles
        ).select_related("route__vehicle", "stop"):
            visit.term = current
            services.visit_save(visit=visit, **common)
        made.append(season.term)
    if not Term.objects.filter(agency=agency, name=season.next_term).exists():
        copy = terms.term_copy(
            source=current,
            term=Term(
                name=season.next_term,
                starts_on=season.next_starts_on,
                ends_on=season.next_ends_on,
            ),
            **common,
        )
        made.append(f"{season.next_term} (draft, {copy.copied} visits)")
    stop = Stop.objects.filter(agency=agency, name=season.stop).first()
    if stop is not None:
        made += _changes(agency, actor, season, stop, current)
        if not Follower.objects.filter(stop=stop).exists():
            now = timezone.now()
            Follower.objects.bulk_create(
                Follower(
                    agency=agency,
                    stop=stop,
                    email=email,
                    language=season.language,
                    created_at=now,
                    confirmed_at=now,
                )
                for email in FOLLOWERS
            )
            made.append(f"{len(FOLLOWERS)} followers of {stop.name}")
    made += _counts(agency, actor, season, current)
    return made


def _changes(agency: Agency, actor: Any, season: Season, stop: Stop, term: Term) -> list[str]:
    """One cancelled date and one extra visit at the stop, with their reasons."""
    made = []
    visit = (
        Visit.objects.filter(stop=stop, term=term)
        .select_related("route__vehicle", "stop")
        .order_by("pk")
        .first()
    )
    if visit is not None and not visit.cancellations.exists():
        day = recurrence.rule_dates(
            visit.rule, visit.starts_on, visit.ends_on, season.cancel_from, season.ends_on
        )[0]
        services.visit_cancel(
            actor=actor, agency=agency, visit=visit, day=day, reason=season.cancel_reason
        )
        made.append(f"{stop.name} cancelled on {day}")
    if visit is not None and not ExtraVisit.objects.filter(stop=stop).exists():
        services.extra_save(
            actor=actor,
            agency=agency,
            extra=ExtraVisit(
                route=visit.route,
                stop=stop,
                date=season.extra_on,
                arrival=time(17, 0),
                departure=time(18, 0),
                reason=season.extra_reason,
            ),
        )
        made.append(f"extra visit to {stop.name} on {season.extra_on}")
    return made


def _counts(agency: Agency, actor: Any, season: Season, term: Term) -> list[str]:
    """Loans, returns and visitors at each stop of one bus on each date it came in the autumn
    (figures that vary by stop and date, the same on every load)."""
    if VisitCount.objects.filter(agency=agency).exists():
        return []
    visits = Visit.objects.filter(term=term, route__vehicle__name=season.vehicle).select_related(
        "stop"
    )
    off = recurrence.public_holidays(agency.country, *COUNTED)
    holidays = services.school_holidays_of(agency)
    kinds = PauseKinds.of(agency)
    entered = 0
    for visit in visits:
        for day in recurrence.rule_dates(visit.rule, visit.starts_on, visit.ends_on, *COUNTED):
            if day in off or (visit.stop.kind in kinds and recurrence.in_periods(day, holidays)):
                continue
            seed = zlib.crc32(f"{visit.stop.name}{day}".encode())
            visitors = 6 + seed % 20
            services.count_save(
                actor=actor,
                agency=agency,
                visit=visit,
                day=day,
                loans=visitors * 2 + seed % 7,
                returns=visitors * 2 - seed % 5,
                visitors=visitors,
            )
            entered += 1
    return [f"{entered} counts at the stops of {season.vehicle}"] if entered else []
