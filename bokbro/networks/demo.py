"""Demo networks, loaded by `manage.py load_demo`. Idempotent: a network is found by name, a
meeting by its title, a person by their e-mail address.

Each demo agency gets two networks (children's librarians, open; the library managers' forum, by
application) with the people of its libraries as members and the first as coordinator; a few
more librarians at real libraries of its region join them (invented people, registered in the
directory by the agency, with no sign-in). Each network had a meeting two months ago with its
notes published, and has one in three weeks with every member registered. Østfold's network of
reading promoters is shared with Jönköping: librarians of both regions are members, and each
agency's follow-up counts its own people at its meetings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from bokbro.directory.models import (
    Agency,
    Library,
    LibraryKind,
    LibraryRole,
    LibraryRoleKind,
    Municipality,
    Person,
)
from bokbro.networks import services
from bokbro.networks.models import Joining, Network

# More librarians for the networks: name, e-mail, municipality code, role.
PEOPLE = {
    "NO": [
        ("Hilde Strand", "hilde.strand@moss.example", "3103", LibraryRoleKind.STAFF),
        ("Jonas Berg", "jonas.berg@indre-ostfold.example", "3118", LibraryRoleKind.STAFF),
        ("Siri Haugen", "siri.haugen@rakkestad.example", "3120", LibraryRoleKind.STAFF),
        ("Tor Eriksen", "tor.eriksen@moss.example", "3103", LibraryRoleKind.MANAGER),
        ("Randi Solberg", "randi.solberg@hvaler.example", "3110", LibraryRoleKind.MANAGER),
    ],
    "SE": [
        ("Maja Lindberg", "maja.lindberg@jonkoping.example", "0680", LibraryRoleKind.STAFF),
        ("Elin Håkansson", "elin.hakansson@gislaved.example", "0662", LibraryRoleKind.STAFF),
        ("Oskar Nyström", "oskar.nystrom@nassjo.example", "0682", LibraryRoleKind.STAFF),
        ("Karin Ström", "karin.strom@vetlanda.example", "0685", LibraryRoleKind.MANAGER),
        ("Anders Wikström", "anders.wikstrom@eksjo.example", "0686", LibraryRoleKind.MANAGER),
    ],
}

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


# Per network (by its position in TEXTS, the shared one last): the past meeting, its notes, and
# the coming meeting.
MEETINGS = {
    "nb": [
        (
            "Erfaringsdeling etter Sommerles",
            "Referat\n\n- Sju av ti bibliotek hadde flere deltakere enn i fjor.\n"
            "- Moss og Rakkestad delte opplegget for avslutningsfesten.\n"
            "- Neste gang: bokprat for mellomtrinnet, med Foreningen !les.",
            "Bokprat for mellomtrinnet",
        ),
        (
            "Budsjett og meråpent",
            "Referat\n\n- Fire bibliotek utvider meråpent neste år.\n"
            "- Felles mal for avtaler med skolene sendes ut før jul.\n"
            "- Neste gang: arbeidet med nye bibliotekplaner i kommunene.",
            "Strategisamling: bibliotekplanene i kommunene",
        ),
        (
            "Digitalt møte: lesekampanjer på begge sider av grensen",
            "Referat / Minnesanteckningar\n\n"
            "- Sommerles og Sommarboken: vi sammenlignet deltakertall og premier.\n"
            "- Jönköping deler materialet til bokcirklene for unge vuxna.\n"
            "- Neste gang: en fysisk samling i Halden.",
            "Samling i Halden: bokcirkler for unge",
        ),
    ],
    "sv": [
        (
            "Erfarenhetsutbyte efter Sommarboken",
            "Minnesanteckningar\n\n- Sju av tio bibliotek hade fler deltagare än i fjol.\n"
            "- Gislaved och Nässjö delade upplägget för avslutningsfesten.\n"
            "- Nästa gång: boktips för mellanstadiet, med skolbiblioteken.",
            "Boktips för mellanstadiet",
        ),
        (
            "Budget och meröppet",
            "Minnesanteckningar\n\n- Fyra bibliotek utökar meröppet nästa år.\n"
            "- En gemensam mall för avtal med skolorna skickas ut före jul.\n"
            "- Nästa gång: arbetet med kommunernas nya biblioteksplaner.",
            "Strategidag: kommunernas biblioteksplaner",
        ),
    ],
}


def _meetings(agency: Agency, network: Network, texts: tuple[str, str, str]) -> int:
    made = 0
    past, notes, coming = texts
    shared = network.partner_agencies.exists()
    for title, days, published, venue in (
        (past, -60, notes, "Teams" if shared else agency.name),
        (coming, 21, "", "Halden bibliotek" if shared else agency.name),
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
                venue=venue,
                capacity=40,
            ),
        )
        made += 1
        if published:
            meeting.notes, meeting.notes_published_at = published, timezone.now()
            meeting.save(update_fields=["notes", "notes_published_at"])
        else:
            services.meeting_invite_all(actor=None, agency=agency, meeting=meeting)
    return made


def _more_people(agency: Agency) -> None:
    """The demo's extra librarians, at the main library of their municipality (if imported)."""
    for name, email, code, role in PEOPLE[agency.country]:
        municipality = Municipality.objects.filter(country=agency.country, code=code).first()
        libraries = Library.objects.filter(municipality=municipality).order_by("pk")
        library = libraries.filter(kind=LibraryKind.MAIN).first() or libraries.first()
        if library is None:
            continue
        person, _created = Person.objects.get_or_create(
            email=email, defaults={"name": name, "created_by_agency": agency}
        )
        LibraryRole.objects.get_or_create(person=person, library=library, role=role)


def _shared(owner: Agency, partner: Agency) -> tuple[Network, int]:
    """Østfold's network of reading promoters, shared with Jönköping: the staff of both
    regions' libraries, a coordinator on each side."""
    name = "Lesefremmere over grensen"
    network = Network.objects.filter(agency=owner, name=name).first()
    if network is None:
        network = services.network_save(
            actor=None,
            agency=owner,
            name=name,
            purpose=(
                "Et nettverk for lesefremmere i folkebibliotekene i Østfold og Jönköpings län, "
                "startet i prosjektet *Leselyst over grensen*. Vi møtes digitalt to ganger i "
                "semesteret og fysisk en gang i året.\n\n"
                "Ett nätverk för läsfrämjare på folkbiblioteken i Østfold och Jönköpings län. "
                "Vi ses digitalt två gånger per termin och på plats en gång om året."
            ),
            joining=Joining.OPEN,
            contact_email=owner.email,
            partner_agencies=[partner],
        )
    for agency in (owner, partner):
        for i, person in enumerate(_people(agency, LibraryRoleKind.STAFF)[:4]):
            services.member_set(
                actor=None, agency=agency, network=network, person=person, coordinator=i == 0
            )
    return network, _meetings(owner, network, MEETINGS["nb"][2])


def load() -> list[str]:
    lines = []
    for agency in Agency.objects.filter(slug__in=["ostfold", "jonkoping"]).order_by("pk"):
        language = "sv" if agency.country == "SE" else "nb"
        _more_people(agency)
        made = 0
        for position, (name, purpose, joining, role) in enumerate(TEXTS[language]):
            network = _network(agency, name, purpose, joining, role)
            made += _meetings(agency, network, MEETINGS[language][position])
        lines.append(f"Networks for {agency.slug}: 2 networks, {made} new meetings")
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=["ostfold", "jonkoping"])}
    if len(agencies) == 2:
        network, made = _shared(agencies["ostfold"], agencies["jonkoping"])
        lines.append(f"Networks: {network.name} shared with jonkoping, {made} new meetings")
    return lines
