"""Demo content of the projects module, loaded by `manage.py load_demo`. Idempotent: funders
and projects are found by name, so running it again changes nothing.

Bibliotekutvikling Østfold: a joint project with the Swedish agency (across counties and
countries), a model-library project whose budget breaks Nasjonalbiblioteket's rule (at least
40 % own funding and NOK 300 000 applied), and a completed one; a status report is due soon.
Region Jönköping: Kulturrådet (no rules) and a running project with its libraries.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    Library,
    LibraryKind,
    LibraryRole,
    LibraryRoleKind,
)
from bokbro.plans.demo import tag_with_goals
from bokbro.projects.models import Funder, Measure, Project
from bokbro.projects.services.funding import (
    FunderFields,
    FundingLineFields,
    StatusReportFields,
    funder_create,
    funding_line_create,
    report_create,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    ProjectFields,
    measure_create,
    partner_add,
    project_create,
)

FUNDERS: dict[str, list[dict[str, Any]]] = {
    "NO": [
        {
            "name": "Nasjonalbiblioteket",
            "min_own_share": Decimal("40"),
            "min_applied": Decimal("300000"),
        },
        {"name": "Fylkeskommunen"},
        {"name": "Egeninnsats (arbeidstid)", "is_own": True},
    ],
    "SE": [
        {"name": "Kulturrådet"},
        {"name": "Egen finansiering (arbetstid)", "is_own": True},
    ],
}


def _funders(agency: Agency, actor: Actor | None) -> dict[str, Funder]:
    found = {}
    for spec in FUNDERS.get(agency.country, []):
        funder = Funder.objects.filter(agency=agency, name=spec["name"]).first()
        if funder is None:
            funder = funder_create(actor=actor, agency=agency, fields=FunderFields(**spec))
        found[spec["name"]] = funder
    return found


def _libraries(agency: Agency) -> list[Library]:
    return list(
        Library.objects.in_county_ids(agency_county_ids(agency))
        .filter(kind=LibraryKind.MAIN, is_active=True)
        .annotate(
            # The demo's own managers' libraries first, so Ola, Marte and Sven see their
            # library's consultations and projects on its profile.
            has_demo_manager=Exists(
                LibraryRole.objects.filter(library=OuterRef("pk"), role=LibraryRoleKind.MANAGER)
            )
        )
        .order_by("-has_demo_manager", "name")[:4]
    )


def _project(
    agency: Agency, actor: Actor | None, spec: dict[str, Any], funders: dict[str, Funder]
) -> None:
    if Project.objects.filter(agency=agency, title=spec["title"]).exists():
        return
    contact = agency.team.filter(role=AgencyRole.CONSULTANT).order_by("position", "pk").first()
    project = project_create(
        actor=actor, agency=agency, fields=ProjectFields(**spec["data"], contact=contact)
    )
    for partner in spec.get("partners", []):
        partner_add(actor=actor, agency=agency, project=project, fields=PartnerFields(**partner))
    for measure in spec.get("measures", []):
        measure_create(actor=actor, agency=agency, project=project, fields=MeasureFields(**measure))
    for name, year, applied, granted in spec.get("funding", []):
        funding_line_create(
            actor=actor,
            agency=agency,
            project=project,
            fields=FundingLineFields(
                funder=funders[name], year=year, applied=applied, granted=granted
            ),
        )
    for name, year, due_on in spec.get("reports", []):
        report_create(
            actor=actor,
            agency=agency,
            project=project,
            fields=StatusReportFields(funder=funders.get(name), year=year, due_on=due_on),
        )


@transaction.atomic
def load() -> list[str]:
    today = timezone.localdate()
    year = today.year
    ostfold = Agency.objects.filter(slug="ostfold").first()
    jonkoping = Agency.objects.filter(slug="jonkoping").first()
    for agency in (ostfold, jonkoping):
        if agency is None:
            continue
        member = agency.team.exclude(user=None).order_by("position", "pk").first()
        actor = member.user if member else None
        funders = _funders(agency, actor)
        libraries = _libraries(agency)
        for spec in _specs(agency, libraries, other=jonkoping if agency == ostfold else None):
            _project(agency, actor, spec(today, year), funders)
        tag_with_goals(agency, Project.objects.filter(agency=agency), reverse=True)
        tag_with_goals(agency, Measure.objects.filter(project__agency=agency), skip=1)
    return []


# Size: data, the demo projects of each country, read top to bottom.
def _specs(agency: Agency, libraries: list[Library], other: Agency | None) -> list[Any]:
    first = libraries[0] if libraries else None
    second = libraries[1] if len(libraries) > 1 else None
    if agency.country == "NO":
        return [
            lambda today, year: {
                "title": "Leselyst over grensen",
                "data": {
                    "title": "Leselyst over grensen",
                    "summary": "Et felles leselystprosjekt med bibliotekene i Jönköpings län.",
                    "description": (
                        "Bibliotekene i Østfold og Jönköpings län utvikler sammen nye måter å "
                        "skape **leselyst** hos barn og unge.\n\n- kartlegging\n- kursrekke\n"
                        "- hospitering mellom bibliotekene"
                    ),
                    "goals": "Flere barn leser på fritiden\nBibliotekansatte deler metoder",
                    "status": "running",
                    "starts_on": date(year, 1, 1),
                    "ends_on": date(year + 1, 12, 31),
                    "internal_notes": "Budsjettet for år to er ikke avklart med Jönköping.",
                    "is_published": True,
                    "public_summary": "Et samarbeid om leselyst på tvers av landegrensen.",
                },
                "partners": ([{"agency": other}] if other else [])
                + ([{"library": first, "role": "pilot"}] if first else []),
                "measures": [
                    {"title": "Kartlegging av leselyst", "status": "done"},
                    {"title": "Kursrekke om bokprat", "status": "ongoing"},
                    {"title": "Hospitering", "status": "planned"},
                ],
                "funding": [
                    ("Nasjonalbiblioteket", year, Decimal("300000"), Decimal("300000")),
                    ("Egeninnsats (arbeidstid)", year, Decimal("250000"), Decimal("250000")),
                ],
                "reports": [("Nasjonalbiblioteket", year, today + timedelta(days=10))],
            },
            lambda today, year: {
                "title": "Modellbibliotek for digital formidling",
                "data": {
                    "title": "Modellbibliotek for digital formidling",
                    "summary": "Et modellbibliotek prøver ut digital formidling for andre.",
                    "status": "applied",
                    "starts_on": date(year + 1, 1, 1),
                    "ends_on": date(year + 1, 12, 31),
                    "internal_notes": "Søknaden må styrkes før fristen.",
                },
                "partners": (
                    [
                        {
                            "library": first,
                            "role": "model_library",
                            "results": "Tre nye formidlingsformater prøvd ut.",
                            "transfer_value": "Oppskrifter og maler som andre kan bruke.",
                        }
                    ]
                    if first
                    else []
                )
                + ([{"library": second, "role": "pilot"}] if second else []),
                # Breaks Nasjonalbiblioteket's rule: 25 % own funding, NOK 250 000 applied.
                "funding": [
                    ("Nasjonalbiblioteket", year + 1, Decimal("250000"), None),
                    ("Egeninnsats (arbeidstid)", year + 1, Decimal("80000"), None),
                ],
            },
            lambda today, year: {
                "title": "Bokbussen som møteplass",
                "data": {
                    "title": "Bokbussen som møteplass",
                    "summary": "Bokbussen ble en møteplass i bygdene.",
                    "status": "completed",
                    "starts_on": date(year - 2, 1, 1),
                    "ends_on": date(year - 1, 6, 30),
                    "is_published": True,
                    "public_summary": "Prosjektet er avsluttet. Rapporten ligger hos oss.",
                },
                "funding": [("Fylkeskommunen", year - 2, Decimal("150000"), Decimal("150000"))],
            },
        ]
    return [
        lambda today, year: {
            "title": "Läsfrämjande i hela länet",
            "data": {
                "title": "Läsfrämjande i hela länet",
                "summary": "Länets bibliotek utvecklar läsfrämjande arbete tillsammans.",
                "goals": "Fler barn läser\nBiblioteken delar metoder",
                "status": "running",
                "starts_on": date(year, 1, 1),
                "ends_on": date(year + 1, 12, 31),
                "is_published": True,
                "public_summary": "Ett länsgemensamt projekt om läsfrämjande.",
            },
            "partners": [{"library": lib, "role": "partner"} for lib in libraries[:2]],
            "measures": [{"title": "Nätverksträffar", "status": "ongoing"}],
            "funding": [
                ("Kulturrådet", year, Decimal("400000"), Decimal("400000")),
                ("Egen finansiering (arbetstid)", year, Decimal("200000"), Decimal("200000")),
            ],
            "reports": [("Kulturrådet", year, date(year + 1, 1, 31))],
        },
    ]
