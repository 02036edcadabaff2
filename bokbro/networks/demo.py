"""Demo networks, loaded by `manage.py load_demo`. Idempotent: networks are found by name, a
meeting by its title. Each demo agency gets two networks (children's librarians, the library
managers' forum) with the people of its libraries as members and coordinators, a meeting held
last month with its notes published, and one coming meeting with every member registered."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from bokbro.directory.models import Agency, LibraryRoleKind, Person
from bokbro.networks import services
from bokbro.networks.models import Joining, Network

TEXTS = {
    "nb": [
        (
            "Barnebibliotekarnettverket",
            "Et nettverk for alle som jobber med barn og unge i folkebibliotekene i fylket: "
            "erfaringsdeling, lesekampanjer og felles kompetanseheving.",
            Joining.OPEN,
            LibraryRoleKind.STAFF,
        ),
        (
            "Biblioteklederforum",
            "Forum for bibliotekledere i regionen. Vi møtes fire ganger i året om strategi, "
            "budsjett og samarbeid. Medlemskap etter søknad.",
            Joining.APPLICATION,
            LibraryRoleKind.MANAGER,
        ),
    ],
    "sv": [
        (
            "Barnbibliotekariernätverket",
            "Ett nätverk för alla som arbetar med barn och unga på länets folkbibliotek: "
            "erfarenhetsutbyte, läsfrämjande och gemensam kompetensutveckling.",
            Joining.OPEN,
            LibraryRoleKind.STAFF,
        ),
        (
            "Bibliotekschefsforum",
            "Forum för bibliotekscheferna i länet. Vi träffas fyra gånger om året om strategi, "
            "budget och samverkan. Medlemskap efter ansökan.",
            Joining.APPLICATION,
            LibraryRoleKind.MANAGER,
        ),
    ],
}


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _people(agency: Agency, role: str) -> list[Person]:
    counties = list(agency.counties.values_list("pk", flat=True))
    return list(
        Person.objects.filter(
            library_roles__role=role,
            library_roles__library__municipality__county__in=counties,
        )
        .distinct()
        .order_by("pk")[:8]
    )


def _network(agency: Agency, name: str, purpose: str, joining: str, role: str) -> Network:
    network = Network.objects.filter(agency=agency, name=name).first()
    if network is None:
        network = services.network_save(
            actor=None,
            agency=agency,
            name=name,
            purpose=purpose,
            joining=joining,
            contact_email=agency.email,
        )
    people = _people(agency, role)
    for i, person in enumerate(people):
        services.member_set(
            actor=None,
            agency=agency,
            network=network,
            person=person,
            coordinator=i == 0,
        )
    return network


def _meetings(agency: Agency, network: Network, language: str) -> int:
    made = 0
    past, coming, summary = (
        ("Høstmøte", "Vårmøte", "Referat: vi delte erfaringer og avtalte neste tema.")
        if language == "nb"
        else ("Höstträff", "Vårträff", "Minnesanteckningar: vi delade erfarenheter och valde tema.")
    )
    for title, days, notes in (
        (f"{past}: {network.name}", -30, summary),
        (f"{coming}: {network.name}", 21, ""),
    ):
        if network.meetings.filter(event__title=title).exists():
            continue
        meeting = services.meeting_create(
            actor=None,
            agency=agency,
            network=network,
            data=services.MeetingData(
                title=title,
                starts_at=_at(days, 10),
                ends_at=_at(days, 14),
                venue=agency.name,
                capacity=40,
            ),
        )
        made += 1
        if notes:
            meeting.notes, meeting.notes_published_at = notes, timezone.now()
            meeting.save(update_fields=["notes", "notes_published_at"])
        else:
            services.meeting_invite_all(actor=None, agency=agency, meeting=meeting)
    return made


def load() -> list[str]:
    lines = []
    for agency in Agency.objects.filter(slug__in=["ostfold", "jonkoping"]).order_by("pk"):
        language = "sv" if agency.country == "SE" else "nb"
        made = 0
        for name, purpose, joining, role in TEXTS[language]:
            network = _network(agency, name, purpose, joining, role)
            made += _meetings(agency, network, language)
        lines.append(f"Networks for {agency.slug}: 2 networks, {made} new meetings")
    return lines
