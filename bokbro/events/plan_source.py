"""What the events module tells the plan follow-up and the annual report
(`bokbro.reports.registry`).

An event counts for a year when it is published (not a draft, not cancelled) and its first
session starts in that year. Its participants count once it has ended: until then its
confirmed registrations are "registered for coming events", shown apart, and it reaches no
library yet. Its numbers:

- held: 1 once the event has ended (its last session is over), else 0;
- participants (of an event that has ended): confirmed registrations (not those waiting,
  awaiting a manager, offered a seat, cancelled or declined);
- registered for coming events: the confirmed registrations of an event not ended yet;
- attended: confirmed participants marked present at one session or more;
- attendance rate: attended / participants, over the events where attendance was marked at all
  (an event nobody marked says nothing about attendance);
- certificates: certificates issued to the event's participants;
- libraries and municipalities reached: the libraries of the confirmed participants and their
  municipalities.

Every read is one query for all the agency's events of the year (seven in all), whatever their
number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.directory.models import Library
from bokbro.events.models import (
    Attendance,
    Certificate,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)


def _attendance(
    confirmed: QuerySet[Registration], ids: QuerySet[Any]
) -> tuple[dict[int, int], set[int], dict[int, int]]:
    """Per event: the confirmed participants marked present at a session or more, whether
    attendance was marked at all, and the certificates issued (three queries)."""
    attended = dict(
        confirmed.filter(attendances__present=True)
        .values("event_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("event_id", "n")
    )
    marked = set(
        Attendance.objects.filter(session__event_id__in=ids)
        .values_list("session__event_id", flat=True)
        .distinct()
    )
    certificates = dict(
        Certificate.objects.filter(registration__event_id__in=ids)
        .values("registration__event_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("registration__event_id", "n")
    )
    return attended, marked, certificates


def activities(agency: Any, year: int) -> list[Activity]:
    events = Event.objects.filter(
        agency=agency, status=EventStatus.PUBLISHED, starts_at__year=year
    ).order_by("starts_at", "pk")
    rows = list(events.values("pk", "title", "kind", "starts_at", "ends_at"))
    if not rows:
        return []
    ids = events.values("pk")
    goals: dict[int, set[int]] = defaultdict(set)
    for event_id, goal_id in Event.plan_goals.through.objects.filter(event_id__in=ids).values_list(
        "event_id", "goal_id"
    ):
        goals[event_id].add(goal_id)
    confirmed = Registration.objects.filter(event_id__in=ids, status=RegistrationStatus.CONFIRMED)
    # Confirmed participants per event and library (library None: no library given).
    per_library: dict[int, dict[int | None, int]] = defaultdict(dict)
    library_ids: set[int] = set()
    for count in confirmed.values("event_id", "library_id").annotate(n=Count("pk")).order_by():
        per_library[count["event_id"]][count["library_id"]] = count["n"]
        if count["library_id"] is not None:
            library_ids.add(count["library_id"])
    attended, marked, certificates = _attendance(confirmed, ids)
    municipality_of = dict(
        Library.objects.filter(pk__in=library_ids).values_list("pk", "municipality_id")
    )
    # Translated once per kind, not per event; the URLs from one reverse().
    kinds = {value: str(label) for value, label in Event._meta.get_field("kind").flatchoices}
    prefix = reverse("events_staff:detail", args=[0])[: -len("0/")]
    now = timezone.now()
    result = []
    for row in rows:
        pk = row["pk"]
        about = Activity(
            source="events",
            kind=kinds.get(row["kind"], str(row["kind"])),
            title=row["title"],
            url=f"{prefix}{pk}/",
            date=row["starts_at"].date(),
            goal_ids=frozenset(goals.get(pk, ())),
        )
        if row["ends_at"] > now:  # a coming event: its registrations are shown apart
            registered = sum(per_library.get(pk, {}).values())
            result.append(replace(about, numbers=_coming_numbers(registered)))
            continue
        by_library = per_library.get(pk, {})
        by_municipality: dict[int, int] = defaultdict(int)
        for library_id, n in by_library.items():
            municipality_id = municipality_of.get(library_id) if library_id else None
            if municipality_id:
                by_municipality[municipality_id] += n
        participants = sum(by_library.values())
        result.append(
            replace(
                about,
                library_ids=frozenset(lib for lib in by_library if lib is not None),
                municipality_ids=frozenset(by_municipality),
                people=participants,
                numbers={
                    "events": 1,
                    "held": 1,
                    "coming_registered": 0,
                    "participants": participants,
                    "attended": attended.get(pk, 0),
                    "marked": pk in marked,
                    "certificates": certificates.get(pk, 0),
                    "by_municipality": dict(by_municipality),
                },
            )
        )
    return result


def _coming_numbers(registered: int) -> dict[str, Any]:
    """The numbers of an event not ended yet: no participants yet, its registrations apart."""
    return {
        "events": 1,
        "held": 0,
        "participants": 0,
        "attended": 0,
        "marked": False,
        "certificates": 0,
        "by_municipality": {},
        "coming_registered": registered,
    }


def attendance_rate(activities: list[Activity]) -> Decimal | None:
    """Attended / participants over the events where attendance was marked, in per cent."""
    marked = [a for a in activities if a.numbers.get("marked")]
    participants = sum(a.numbers["participants"] for a in marked)
    if not participants:
        return None
    attended = sum(a.numbers["attended"] for a in marked)
    return (Decimal(attended) * 100 / participants).quantize(Decimal("1"))


def figures(activities: list[Activity]) -> list[Figure]:
    held = [a for a in activities if a.numbers["held"]]
    result = [
        Figure(_("Number of events"), len(held)),
        Figure(_("Participants"), sum(a.numbers["participants"] for a in held)),
        Figure(_("Attended"), sum(a.numbers["attended"] for a in held)),
    ]
    rate = attendance_rate(held)
    if rate is not None:
        result.append(Figure(_("Attendance rate"), rate, "%"))
    result.append(Figure(_("Certificates"), sum(a.numbers["certificates"] for a in held)))
    coming = [a for a in activities if not a.numbers["held"]]
    if coming:
        result.append(Figure(_("Coming events"), len(coming)))
        result.append(
            Figure(
                _("Registered for coming events"),
                sum(a.numbers["coming_registered"] for a in coming),
            )
        )
    return result


SOURCE = ActivitySource(
    key="events",
    title=_("Courses and events"),
    order=10,
    activities=activities,
    figures=figures,
    named_in_report=lambda activity: True,
)
