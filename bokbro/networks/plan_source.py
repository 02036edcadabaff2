"""What the networks tell the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year, an activity is a **network meeting** held in the year of a network the agency owns
or shares (`Network.partner_agencies`): its members and the places taken, and the municipalities
its members work in (through their libraries). The figures: meetings, networks that met, places
taken, and members by municipality.

A shared network's meeting is in each of its agencies' reports, and each counts what belongs to
it: a partner agency the members and the places of the libraries in its own counties (a meeting
where it has neither is not its activity); the owning agency everything else (its own region,
and anyone from outside every partner's region). Together the agencies count each member and
each place once. Four queries for the whole year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.directory.models import LibraryRole
from bokbro.events.models import Registration
from bokbro.networks.models import Meeting, MembershipStatus, Network


@dataclass
class Shares:
    """Who owns each network, and the counties of each network's partner agencies."""

    owner: dict[int, int] = field(default_factory=dict)
    partner_counties: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def belongs(self, agency_id: int, counties: set[int], network_id: int, county: Any) -> bool:
        """Whether a member or a place in `county` (None: no library in the directory) of the
        network counts for the agency whose counties are `counties`."""
        if county is not None and county in counties:
            return True
        claimed = county in self.partner_counties[network_id]
        return self.owner[network_id] == agency_id and not claimed


def _shares(network_ids: list[int]) -> Shares:
    shares = Shares()
    for pk, owner in Network.objects.filter(pk__in=network_ids).values_list("pk", "agency_id"):
        shares.owner[pk] = owner
    rows = Network.partner_agencies.through.objects.filter(network_id__in=network_ids)
    for network_id, county in rows.values_list("network_id", "agency__counties"):
        if county is not None:
            shares.partner_counties[network_id].add(county)
    return shares


def activities(agency: Any, year: int) -> list[Activity]:
    meetings = list(
        Meeting.objects.filter(
            network__in=Network.objects.of_agency(agency), event__starts_at__year=year
        )
        .select_related("event", "network")
        .order_by("event__starts_at", "pk")
    )
    if not meetings:
        return []
    network_ids = sorted({m.network_id for m in meetings})
    shares = _shares(network_ids)
    counties = set(agency.counties.values_list("pk", flat=True))

    # network id -> municipality id -> the agency's members (person ids) working there
    places: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    members = LibraryRole.objects.filter(
        person__network_memberships__network__in=network_ids,
        person__network_memberships__status=MembershipStatus.MEMBER,
    ).values_list(
        "person__network_memberships__network_id",
        "library__municipality_id",
        "library__municipality__county_id",
        "person_id",
    )
    for network_id, municipality_id, county, person_id in members:
        if municipality_id and shares.belongs(agency.pk, counties, network_id, county):
            places[network_id][municipality_id].add(person_id)

    taken: Counter[int] = Counter()
    registrations = Registration.objects.filter(
        event__network_meeting__in=meetings, status="confirmed"
    ).values_list(
        "event__network_meeting__id",
        "event__network_meeting__network_id",
        "library__municipality__county_id",
        "library__county_id",
    )
    for meeting_id, network_id, municipality_county, library_county in registrations:
        where = municipality_county or library_county
        if shares.belongs(agency.pk, counties, network_id, where):
            taken[meeting_id] += 1

    kind = str(_("Network meeting"))
    return [
        Activity(
            source="networks",
            kind=kind,
            title=f"{meeting.event.title} ({meeting.network.name})",
            url=meeting.network.get_absolute_url(),
            date=meeting.event.starts_at.date(),
            municipality_ids=frozenset(places[meeting.network_id]),
            people=taken[meeting.pk],
            numbers={
                "network": meeting.network_id,
                "members_by_municipality": {
                    m: len(people) for m, people in places[meeting.network_id].items()
                },
            },
        )
        for meeting in meetings
        if meeting.network.agency_id == agency.pk or places[meeting.network_id] or taken[meeting.pk]
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
