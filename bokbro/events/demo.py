"""Demo events: courses, a webinar and network meetings for both demo agencies, with a few
registrations (one course's places waiting for the managers' approval), tagged with the goals
of the agency's plan (every fifth left untagged, so the follow-up shows what is not tagged).
Idempotent (by title)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
from django.utils import timezone

from bokbro.directory.models import Agency, AgencyRole, Library, LibraryKind, Municipality
from bokbro.events.models import Event
from bokbro.events.services import seat_groups, seats
from bokbro.events.services.approvals import registration_create_and_approve
from bokbro.events.services.events import SessionData, event_create
from bokbro.plans.demo import tag_with_goals

DEMO_EVENTS: dict[str, list[dict[str, Any]]] = {
    "ostfold": [
        {
            "title": "Bokprat for barn",
            "kind": "course_series",
            "summary": "Kursrekke om å snakke med barn om bøker: tre samlinger og to nettmøter.",
            "description": (
                "**Bokprat** er en enkel metode for å snakke med barn om bøker de har lest.\n\n"
                "- Dag 1: metoden og bøkene\n- Dag 2: bokprat i praksis\n"
                "- To nettmøter: erfaringsdeling mellom samlingene\n\n"
                "Ta med en bok du vil snakke om!"
            ),
            "audience": "children_youth",
            "format": "hybrid",
            "venue": "Fredrikstad bibliotek",
            "venue_address": "Gamle Bybro 5, 1607 Fredrikstad",
            "municipality": "3107",
            "online_url": "https://meet.example.org/bokprat",
            "capacity": 30,
            "quota_per_library": 2,
            # The library's manager approves each place (events/services/approvals.py): the
            # places wait for Sarpsborg's and Halden's managers, and the organiser decides for
            # the libraries with no manager registered.
            "manager_approval": True,
            "start_in_days": 21,
            "sessions": [
                (0, 10, 15, ""),
                (7, 10, 15, ""),
                (14, 18, 19, "Nettmøte"),
                (21, 10, 15, ""),
                (28, 18, 19, "Nettmøte"),
            ],
            "registrations": 12,
        },
        {
            "title": "Regional fagdag: lesing for alle",
            "kind": "conference",
            "summary": "Fagdag for alle bibliotekansatte i Østfold, med plasser holdt av per by.",
            "audience": "all_staff",
            "format": "physical",
            "venue": "Sarpsborg bibliotek",
            "municipality": "3105",
            "capacity": 60,
            "start_in_days": 42,
            "sessions": [(0, 9, 16, "")],
            # 20 seats kept for Fredrikstad's libraries and 20 for Sarpsborg's until two weeks
            # before; the other 20 are open to all (events/services/seats.py).
            "seat_groups": [("Fredrikstad", 20, "3107"), ("Sarpsborg", 20, "3105")],
            "registrations": 10,
        },
        {
            "title": "Nettverkssamling for biblioteksjefer",
            "kind": "network_meeting",
            "summary": "Halvårlig samling for biblioteksjefene i Østfold.",
            "audience": "managers",
            "format": "physical",
            "venue": "Sarpsborg bibliotek",
            "municipality": "3105",
            "capacity": 20,
            "invitation_role": "manager",
            "start_in_days": 35,
            "sessions": [(0, 9, 15, "")],
            "registrations": 0,
        },
        {
            "title": "Webinar: Skolebibliotek og lesing",
            "kind": "webinar",
            "summary": "Om samarbeid mellom folkebibliotek og skolebibliotek.",
            "audience": "school_librarians",
            "format": "digital",
            "online_url": "https://meet.example.org/skolebibliotek",
            "capacity": None,
            "start_in_days": 10,
            "sessions": [(0, 14, 15, "")],
            "registrations": 3,
        },
    ],
    "jonkoping": [
        {
            "title": "Läsfrämjande i praktiken",
            "kind": "course",
            "summary": "En kursdag om läsfrämjande arbete för barn och unga.",
            "audience": "children_youth",
            "format": "physical",
            "venue": "Jönköpings stadsbibliotek",
            "municipality": "0680",
            "capacity": 25,
            "quota_per_library": 3,
            "start_in_days": 18,
            "sessions": [(0, 9, 12, "")],
            # Two parallel workshops in the afternoon, each in a smaller room: participants
            # choose one when they register (events/services/session_seats.py).
            "workshops": [
                (13, 15, "Workshop: Bokcirklar för vuxna", 12),
                (13, 15, "Workshop: Högläsning för de minsta", 12),
            ],
            "registrations": 6,
        },
        {
            "title": "Nätverksträff för bibliotekschefer",
            "kind": "network_meeting",
            "summary": "Länets bibliotekschefer träffas och delar erfarenheter.",
            "audience": "managers",
            "format": "hybrid",
            "venue": "Region Jönköpings län, Regionens hus",
            "municipality": "0680",
            "online_url": "https://meet.example.org/chefer",
            "capacity": 30,
            "start_in_days": 28,
            "sessions": [(0, 10, 15, "")],
            "registrations": 2,
        },
    ],
}


def working_days(days: list[date], country: str) -> list[date]:
    """The days moved forward, each to the first working day on or after it (no weekend, no
    public holiday of the country, not Christmas or New Year's Eve), keeping their order: no
    course in the demo falls on a Saturday or on Christmas Day."""
    closed = holidays.country_holidays(country, years=range(days[0].year, days[-1].year + 2))
    result: list[date] = []
    for day in days:
        if result and day <= result[-1]:
            day = result[-1] + timedelta(days=1)
        while day.weekday() >= 5 or day in closed or (day.month, day.day) in {(12, 24), (12, 31)}:
            day += timedelta(days=1)
        result.append(day)
    return result


def keep_seats_for_groups(agency: Agency, event: Event, spec: dict[str, Any], user: Any) -> None:
    """The spec's groups with kept seats, open to all two weeks before the event."""
    for name, seats_kept, code in spec.get("seat_groups", []):
        seats.seat_pool_create(
            actor=user,
            agency=agency,
            event=event,
            data=seats.PoolData(
                name=name,
                capacity=seats_kept,
                municipalities=[Municipality.objects.get(country=agency.country, code=code)],
                libraries=[],
            ),
        )
    if "seat_groups" in spec:
        seat_groups.group_seats_until_set(
            actor=user,
            agency=agency,
            event=event,
            until=event.starts_at - timedelta(days=14),
        )


def demo_sessions(spec: dict[str, Any], country: str, tz: Any) -> list[SessionData]:
    """The spec's sessions on working days, and its workshops (on the first day)."""
    first_day = timezone.localdate() + timedelta(days=spec["start_in_days"])
    days = working_days(
        [first_day + timedelta(days=offset) for offset, *_rest in spec["sessions"]], country
    )

    def at(day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)), tz)

    sessions = [
        SessionData(starts_at=at(day, start), ends_at=at(day, end), title=title, online=bool(title))
        for day, (_offset, start, end, title) in zip(days, spec["sessions"], strict=True)
    ]
    return sessions + [
        SessionData(
            starts_at=at(days[0], start), ends_at=at(days[0], end), title=title, capacity=seats
        )
        for start, end, title, seats in spec.get("workshops", [])
    ]


def load() -> list[str]:
    """Demo events with a few registrations, for both agencies. Idempotent (by title)."""
    for slug, specs in DEMO_EVENTS.items():
        agency = Agency.objects.get(slug=slug)
        actor = agency.team.filter(role=AgencyRole.CONSULTANT).first()
        libraries = list(
            Library.objects.in_county_ids(list(agency.counties.values_list("id", flat=True)))
            .filter(kind__in=[LibraryKind.MAIN, LibraryKind.BRANCH])
            .order_by("name")[:12]
        )
        tz = timezone.get_current_timezone()
        for spec in specs:
            if Event.objects.filter(agency=agency, title=spec["title"]).exists():
                continue
            sessions = demo_sessions(spec, agency.country, tz)
            fields = {
                key: spec[key]
                for key in [
                    "title",
                    "kind",
                    "summary",
                    "audience",
                    "format",
                    "capacity",
                ]
            }
            for key in [
                "description",
                "venue",
                "venue_address",
                "online_url",
                "quota_per_library",
                "invitation_role",
                "manager_approval",
            ]:
                if key in spec:
                    fields[key] = spec[key]
            if "municipality" in spec:
                fields["municipality"] = Municipality.objects.get(
                    country=agency.country, code=spec["municipality"]
                )
            fields["status"] = "published"
            fields["registration_closes_at"] = sessions[0].starts_at - timedelta(days=3)
            event = event_create(
                actor=actor.user if actor else None,
                agency=agency,
                **fields,
                sessions=sessions,
            )
            keep_seats_for_groups(agency, event, spec, actor.user if actor else None)
            workshops = list(event.sessions.filter(capacity__isnull=False).order_by("title"))
            for i in range(spec["registrations"]):
                library = libraries[i % len(libraries)] if libraries else None
                registration_create_and_approve(
                    event=event,
                    name=f"Deltaker {i + 1}",
                    email=f"deltaker{i + 1}.{slug}@example.org",
                    library=library,
                    language=agency.language,
                    sessions=[workshops[i % len(workshops)]] if workshops else [],
                )
        tag_with_goals(agency, Event.objects.filter(agency=agency))
    return []
