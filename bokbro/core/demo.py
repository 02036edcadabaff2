"""Demo content: two agencies on one install (one Norwegian, one Swedish), their teams, and
people at real libraries of the imported directory. Idempotent: running it again changes nothing.

The people are invented; the counties, municipalities and libraries are the real directory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bokbro.accounts.services import user_create
from bokbro.core.tenancy import forget_hosts
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    County,
    Currency,
    Library,
    LibraryKind,
    LibraryRole,
    LibraryRoleKind,
    Municipality,
    Organisation,
    OrganisationKind,
    Person,
    TeamMember,
)


class DemoError(Exception):
    pass


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    agency: str


AGENCIES = [
    {
        "slug": "ostfold",
        "name": "Bibliotekutvikling Østfold",
        "organisation_name": "Østfold fylkeskommune",
        "country": "NO",
        "county_codes": ["31"],
        "language": "nb",
        "currency": Currency.NOK,
        "hosts": "ostfold.localhost",
        "is_default": True,
        "intro": (
            "Vi er en pådriver for bibliotekutvikling i Østfold: kurs og kompetanseutvikling, "
            "bibliotekfaglig rådgivning og veiledning, og samarbeid mellom bibliotekene i fylket."
        ),
        "email": "bibliotekutvikling@ostfold.example",
        "phone": "69 11 70 00",
        "street_address": "Postboks 220",
        "postcode": "1702",
        "city": "Sarpsborg",
        "team": [
            (
                "Ingrid Berg",
                "Leder",
                "Strategi, regional plan og årsmelding",
                "ingrid.berg@ostfold.example",
                "900 00 001",
                AgencyRole.ADMIN,
            ),
            (
                "Kari Nilsen",
                "Rådgiver",
                "Kurs og kompetanseutvikling, barn og unge",
                "kari.nilsen@ostfold.example",
                "900 00 002",
                AgencyRole.CONSULTANT,
            ),
            (
                "Per Hansen",
                "Rådgiver",
                "Prosjekter og tilskudd, digital formidling",
                "per.hansen@ostfold.example",
                "900 00 003",
                AgencyRole.CONSULTANT,
            ),
        ],
        "people": [
            # name, email, title, municipality code, role
            (
                "Ola Bakken",
                "ola.bakken@sarpsborg.example",
                "Biblioteksjef",
                "3105",
                LibraryRoleKind.MANAGER,
            ),
            (
                "Aisha Rahman",
                "aisha.rahman@fredrikstad.example",
                "Bibliotekar",
                "3107",
                LibraryRoleKind.STAFF,
            ),
            (
                "Marte Lie",
                "marte.lie@halden.example",
                "Biblioteksjef",
                "3101",
                LibraryRoleKind.MANAGER,
            ),
        ],
        "organisations": [
            ("Nasjonalbiblioteket", OrganisationKind.NATIONAL, None),
            ("Kulturrådet", OrganisationKind.NATIONAL, None),
            ("Hauge skole", OrganisationKind.SCHOOL, "3107"),
        ],
    },
    {
        "slug": "jonkoping",
        "name": "Biblioteksutveckling Region Jönköpings län",
        "organisation_name": "Region Jönköpings län",
        "country": "SE",
        "county_codes": ["06"],
        "language": "sv",
        "currency": Currency.SEK,
        "hosts": "jonkoping.localhost",
        "is_default": False,
        "intro": (
            "Vi arbetar med att utveckla folkbiblioteken i länet: kompetensutveckling, "
            "konsultationer, projekt och samverkan mellan länets bibliotek."
        ),
        "email": "biblioteksutveckling@jonkoping.example",
        "phone": "010-242 00 00",
        "street_address": "Box 1024",
        "postcode": "551 11",
        "city": "Jönköping",
        "team": [
            (
                "Eva Lindqvist",
                "Verksamhetschef",
                "Regional biblioteksplan, uppföljning",
                "eva.lindqvist@jonkoping.example",
                "010-242 00 01",
                AgencyRole.ADMIN,
            ),
            (
                "Johan Ek",
                "Utvecklare",
                "Kompetensutveckling och nätverk",
                "johan.ek@jonkoping.example",
                "010-242 00 02",
                AgencyRole.CONSULTANT,
            ),
        ],
        "people": [
            (
                "Sven Karlsson",
                "sven.karlsson@varnamo.example",
                "Bibliotekschef",
                "0683",
                LibraryRoleKind.MANAGER,
            ),
            (
                "Lina Svensson",
                "lina.svensson@varnamo.example",
                "Bibliotekarie",
                "0683",
                LibraryRoleKind.STAFF,
            ),
        ],
        "organisations": [
            ("Kungliga biblioteket", OrganisationKind.NATIONAL, None),
            ("Statens kulturråd", OrganisationKind.NATIONAL, None),
        ],
    },
]


def _main_library(country: str, municipality_code: str) -> Library:
    municipality = Municipality.objects.filter(country=country, code=municipality_code).first()
    if municipality is None:
        raise DemoError(
            f"Municipality {country} {municipality_code} is missing: run import_directory first."
        )
    library = (
        municipality.libraries.filter(kind=LibraryKind.MAIN).order_by("pk").first()
        or municipality.libraries.order_by("pk").first()
    )
    if library is None:
        raise DemoError(f"No library in {municipality}: run import_directory first.")
    return library


@transaction.atomic
def load_demo() -> list[DemoUser]:
    users: list[DemoUser] = []
    for spec in AGENCIES:
        counties = list(
            County.objects.filter(country=spec["country"], code__in=spec["county_codes"])
        )
        if len(counties) != len(spec["county_codes"]):
            raise DemoError("The directory is empty: run import_directory first.")
        agency, _created = Agency.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in [
                    "name",
                    "organisation_name",
                    "country",
                    "language",
                    "currency",
                    "hosts",
                    "is_default",
                    "intro",
                    "email",
                    "phone",
                    "street_address",
                    "postcode",
                    "city",
                ]
            },
        )
        agency.counties.set(counties)
        for position, (name, title, area, email, phone, role) in enumerate(spec["team"]):
            user = user_create(email=email, name=name, language=spec["language"])
            TeamMember.objects.update_or_create(
                agency=agency,
                email=email,
                defaults={
                    "name": name,
                    "title": title,
                    "area": area,
                    "phone": phone,
                    "role": role,
                    "position": position,
                    "user": user,
                },
            )
            users.append(DemoUser(email, name, AgencyRole(role).label, agency.name))
        for name, email, title, code, role in spec["people"]:
            library = _main_library(spec["country"], code)
            person, _ = Person.objects.update_or_create(
                email=email,
                defaults={"name": name, "title": title, "created_by_agency": agency},
            )
            LibraryRole.objects.get_or_create(person=person, library=library, role=role)
            user_create(email=email, name=name, language=spec["language"])
            users.append(
                DemoUser(email, name, f"{LibraryRoleKind(role).label}, {library.name}", agency.name)
            )
        for name, kind, code in spec["organisations"]:
            municipality = (
                Municipality.objects.filter(country=spec["country"], code=code).first()
                if code
                else None
            )
            Organisation.objects.update_or_create(
                name=name, defaults={"kind": kind, "municipality": municipality}
            )
    forget_hosts()
    return users


# --- Demo events ------------------------------------------------------------------------------

DEMO_EVENTS = {
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
            "sessions": [(0, 9, 16, "")],
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


def load_demo_events() -> int:
    """Demo events with a few registrations, for both agencies. Idempotent (by title)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from bokbro.events.models import Event
    from bokbro.events.services import SessionData, event_create, registration_create

    created = 0
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
            first_day = timezone.localdate() + timedelta(days=spec["start_in_days"])
            sessions = [
                SessionData(
                    starts_at=timezone.make_aware(
                        datetime.combine(first_day + timedelta(days=offset), time(start)), tz
                    ),
                    ends_at=timezone.make_aware(
                        datetime.combine(first_day + timedelta(days=offset), time(end)), tz
                    ),
                    title=title,
                    online=bool(title),
                )
                for offset, start, end, title in spec["sessions"]
            ]
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
                data=fields,
                sessions=sessions,
            )
            created += 1
            for i in range(spec["registrations"]):
                library = libraries[i % len(libraries)] if libraries else None
                registration_create(
                    event=event,
                    name=f"Deltaker {i + 1}",
                    email=f"deltaker{i + 1}.{slug}@example.org",
                    library=library,
                    language=agency.language,
                )
    return created
