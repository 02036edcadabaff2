"""Demo content: two agencies on one install (one Norwegian, one Swedish), their teams, and
people at real libraries of the imported directory (their sign-in accounts come from the
accounts module's demo). Idempotent: running it again changes nothing.

The people are invented; the counties, municipalities and libraries are the real directory.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bokbro.core.demo import DemoError
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
from bokbro.directory.tenancy import forget_hosts

AGENCIES: list[dict[str, Any]] = [
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
        "welcome": {
            "nb": (
                "Vi styrker folkebibliotekene i Østfold med **kurs**, **rådgivning** og "
                "**utviklingsprosjekter**. Se de neste kursene under, eller ta kontakt med oss."
            ),
            "en": (
                "We strengthen the public libraries of Østfold with **courses**, **advice** and "
                "**development projects**. See the next courses below, or get in touch."
            ),
        },
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
        "welcome": {
            "sv": (
                "Regional biblioteksverksamhet stödjer folkbiblioteken i Jönköpings län med "
                "**kompetensutveckling**, **konsultationer** och **projekt**. Här ser du våra "
                "kommande kurser och träffar."
            ),
        },
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
def load() -> list[str]:
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
                    "welcome",
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
                },
            )
        for name, email, title, code, role in spec["people"]:
            library = _main_library(spec["country"], code)
            person, _ = Person.objects.update_or_create(
                email=email,
                defaults={"name": name, "title": title, "created_by_agency": agency},
            )
            LibraryRole.objects.get_or_create(person=person, library=library, role=role)
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
    return []
