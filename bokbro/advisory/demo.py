"""Demo content of the advisory module, loaded by `manage.py load_demo`. Idempotent: an agency
that already has consultations gets nothing more."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bokbro.advisory import services
from bokbro.advisory.models import Consultation, Topic
from bokbro.core.types import Actor
from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    Library,
    LibraryKind,
    LibraryRole,
    LibraryRoleKind,
    Person,
)
from bokbro.plans.demo import tag_with_goals

TOPICS = {
    "ostfold": [
        "Meråpent bibliotek",
        "Lesefremming",
        "Skolebibliotek",
        "Bibliotekplan",
        "Arrangementer",
        "Digital kompetanse",
    ],
    "jonkoping": [
        "Meröppet bibliotek",
        "Läsfrämjande",
        "Skolbibliotek",
        "Biblioteksplan",
        "Digital delaktighet",
        "Mångspråk",
    ],
}

CONSULTATIONS = {
    "ostfold": [
        ("visit", "Besøk: gjennomgang av lokalene og planene for meråpent.", 0, "2.5"),
        ("phone", "Samtale om søknad til Nasjonalbiblioteket om utviklingsmidler.", 1, "0.5"),
        ("meeting", "Møte med kommunalsjef om ny bibliotekplan.", 3, "2"),
        (
            "email",
            "Sendt eksempler på samarbeidsavtaler mellom folke- og skolebibliotek.",
            2,
            "0.25",
        ),
        ("video", "Videomøte om lesekampanje for ungdom i høst.", 1, "1"),
        ("course", "Oppfølging etter kurset: hvordan bruke bokpraten i klassebesøk.", 1, "1.5"),
    ],
    "jonkoping": [
        ("visit", "Besök: genomgång av meröppet och öppettider.", 0, "3"),
        ("phone", "Samtal om ansökan till Kulturrådet om läsfrämjande.", 1, "0.5"),
        ("meeting", "Möte med förvaltningschef om ny biblioteksplan.", 3, "2"),
        ("email", "Skickat exempel på avtal mellan folk- och skolbibliotek.", 2, "0.25"),
        ("video", "Videomöte om digital delaktighet för äldre.", 4, "1"),
        ("course", "Uppföljning efter kursen i bokprat.", 1, "1"),
    ],
}

FOLLOW_UPS = {
    "ostfold": ("Sende eksempler på avtaler og tidsplan", "Avtale oppfølgingsmøte"),
    "jonkoping": ("Skicka exempel på avtal och tidsplan", "Boka uppföljningsmöte"),
}
TOUR = {"ostfold": "10 bibliotek på 2 uker", "jonkoping": "10 bibliotek på 2 veckor"}

INTERNAL = {
    "ostfold": "Internt: biblioteksjefen går av med pensjon neste år.",
    "jonkoping": "Internt: budgeten skärs ned nästa år.",
}


@transaction.atomic
def load() -> list[str]:
    for slug, topic_names in TOPICS.items():
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            continue
        if not Consultation.objects.filter(agency=agency).exists():
            _load_agency(agency, slug, topic_names)
        tag_with_goals(agency, Consultation.objects.filter(agency=agency))
    return []


def _demo_libraries(agency: Agency) -> list[Library]:
    return list(
        Library.objects.in_county_ids(agency_county_ids(agency))
        .filter(kind=LibraryKind.MAIN, is_active=True)
        .select_related("municipality")
        .annotate(
            # The demo's own managers' libraries first, so Ola, Marte and Sven see their
            # library's consultations and projects on its profile.
            has_demo_manager=Exists(
                LibraryRole.objects.filter(library=OuterRef("pk"), role=LibraryRoleKind.MANAGER)
            )
        )
        .order_by("-has_demo_manager", "name")[:8]
    )


def _load_agency(agency: Agency, slug: str, topic_names: list[str]) -> None:
    team = agency.team.filter(user__isnull=False).select_related("user").order_by("position")
    users = [(m.role, m.user) for m in team if m.user is not None]
    consultants = [user for role, user in users if role == AgencyRole.CONSULTANT] or [
        user for _role, user in users
    ]
    if not consultants:
        return
    admin = next((user for role, user in users if role == AgencyRole.ADMIN), consultants[0])
    topics = []
    for name in topic_names:
        topic = Topic.objects.filter(agency=agency, name=name).first()
        topics.append(topic or services.topic_create(actor=admin, agency=agency, name=name))
    libraries = _demo_libraries(agency)
    if not libraries:
        return
    today = timezone.localdate()
    logged = []
    for i in range(12):
        kind, summary, topic_index, hours = CONSULTATIONS[slug][i % len(CONSULTATIONS[slug])]
        library = libraries[i % len(libraries)]
        consultant = consultants[i % len(consultants)]
        managers = Person.objects.filter(
            library_roles__library=library, library_roles__role=LibraryRoleKind.MANAGER
        )
        municipalities = [library.municipality] if i % 4 == 2 and library.municipality else []
        logged.append(
            services.consultation_create(
                actor=consultant,
                agency=agency,
                consultant=consultant,
                data=services.ConsultationData(
                    date=today - timedelta(days=9 * i + 2),
                    kind=kind,
                    hours=Decimal(hours),
                    summary=summary,
                    internal_notes=INTERNAL[slug] if i % 3 == 0 else "",
                ),
                libraries=[library],
                municipalities=[m for m in municipalities if m is not None],
                people=list(managers),
                topics=[topics[topic_index], topics[(topic_index + i) % len(topics)]],
            )
        )
    services.follow_up_create(
        actor=consultants[0],
        agency=agency,
        consultation=logged[0],
        what=FOLLOW_UPS[slug][0],
        due_date=today - timedelta(days=3),
        owner=consultants[0],
    )
    services.follow_up_create(
        actor=consultants[0],
        agency=agency,
        consultation=logged[1],
        what=FOLLOW_UPS[slug][1],
        due_date=today + timedelta(days=10),
        owner=consultants[-1],
    )
    _plan_tour(agency, slug, consultants[0], libraries, topics)


def _plan_tour(
    agency: Agency, slug: str, consultant: Actor, libraries: list[Library], topics: list[Topic]
) -> None:
    start = timezone.localdate() + timedelta(days=14)
    tour = services.tour_create(
        actor=consultant,
        agency=agency,
        title=TOUR[slug],
        consultant=consultant,
        starts_on=start,
        ends_on=start + timedelta(days=13),
    )
    for i, library in enumerate(libraries[:6]):
        services.visit_add(
            actor=consultant,
            agency=agency,
            tour=tour,
            library=library,
            date=start + timedelta(days=(i // 2) * 2),
            purpose=topics[i % len(topics)].name,
        )
