"""What the networks tell the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year, an activity is a **network meeting** held in the year: its network's members, and
the municipalities they work in (through their libraries). The figures: meetings, networks that
met, participants registered, and members by municipality. Two queries for the whole year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.directory.models import LibraryRole
from bokbro.networks.models import Meeting, MembershipStatus


def _municipalities_by_network(agency: Any) -> dict[int, dict[int, set[int]]]:
    """network id -> municipality id -> the members (person ids) working there."""
    rows = LibraryRole.objects.filter(
        person__network_memberships__network__agency=agency,
        person__network_memberships__status=MembershipStatus.MEMBER,
    ).values_list(
        "person__network_memberships__network_id", "library__municipality_id", "person_id"
    )
    result: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for network_id, municipality_id, person_id in rows:
        if municipality_id:
            result[network_id][municipality_id].add(person_id)
    return result


def activities(agency: Any, year: int) -> list[Activity]:
    meetings = (
        Meeting.objects.filter(network__agency=agency, event__starts_at__year=year)
        .annotate(
            registered=Count(
                "event__registrations",
                filter=Q(event__registrations__status="confirmed"),
            )
        )
        .select_related("event", "network")
        .order_by("event__starts_at", "pk")
    )
    places = _municipalities_by_network(agency)
    kind = str(_("Network meeting"))
    return [
        Activity(
            source="networks",
            kind=kind,
            title=f"{meeting.event.title} ({meeting.network.name})",
            url=meeting.network.get_absolute_url(),
            date=meeting.event.starts_at.date(),
            municipality_ids=frozenset(places[meeting.network_id]),
            people=meeting.registered,
            numbers={
                "network": meeting.network_id,
                "members_by_municipality": {
                    m: len(people) for m, people in places[meeting.network_id].items()
                },
            },
        )
        for meeting in meetings
    ]


def figures(activities: list[Activity]) -> list[Figure]:
    meetings = [a for a in activities if a.source == "networks"]
    members: Counter[int] = Counter()
    seen: set[int] = set()
    for activity in meetings:
        if activity.numbers["network"] not in seen:
            seen.add(activity.numbers["network"])
            members.update(activity.numbers["members_by_municipality"])
    return [
        Figure(_("Network meetings"), len(meetings)),
        Figure(_("Networks that met"), len(seen)),
        Figure(_("Places taken at network meetings"), sum(a.people for a in meetings)),
        Figure(_("Municipalities with network members"), len(members)),
        Figure(_("Network members (counted per network)"), sum(members.values())),
    ]


SOURCE = ActivitySource(
    key="networks",
    title=_("Networks"),
    order=70,
    activities=activities,
    figures=figures,
)
