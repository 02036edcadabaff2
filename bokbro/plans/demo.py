"""Demo content: the agencies' plans, municipal library plans and dialogues, loaded by
`manage.py load_demo`. Idempotent: each part is skipped for an agency that already has it.

The Swedish plan is Region Jönköpings län's own (Biblioteksplan Region Jönköpings län, focus
areas "Biblioteken i samhället", "Digital delaktighet och kompetens" and "Läsfrämjande,
berättelser och bildning"); the Norwegian one follows the shape of a county's regional plan for
library development. The municipalities' plans get a spread of
statuses; the demo managers' municipalities (Sarpsborg, Värnamo) have plans that end next year,
so Ola and Sven see them flagged "expires soon" on their library's page (scenario 2). The
modules that come after plans tag their demo activities with the plan's goals through
`tag_with_goals`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bokbro.core.types import Actor
from bokbro.directory.models import Agency, AgencyRole, Municipality
from bokbro.plans.models import (
    Action,
    DialogueTemplate,
    FocusArea,
    Goal,
    Indicator,
    MunicipalPlan,
    Plan,
    Strategy,
)
from bokbro.plans.services import dialogues, municipal, parts, plans

# focus area → goals → (strategies, measures for this year, indicators (name, unit, target,
# values per years-ago))
PLANS: dict[str, dict[str, Any]] = {
    "ostfold": {
        "title": "Regional plan for bibliotekutvikling i Østfold {start}–{end}",
        "kind": "library",
        "years": (-2, 1),
        "adopted_by": "Fylkestinget i Østfold",
        "summary": (
            "Planen peker ut retningen for bibliotekutviklingen i fylket. Bibliotekutvikling "
            "Østfold følger den opp med **kurs**, **rådgivning** og **prosjekter** sammen med "
            "folkebibliotekene.\n\n- Bibliotekene er åpne møteplasser\n- Alle skal få lyst til å "
            "lese\n- Bibliotekene styrker den digitale kompetansen i befolkningen"
        ),
        "areas": [
            (
                "1",
                "Bibliotekene som møteplass og arena for offentlig samtale",
                [
                    (
                        "1.1",
                        "Flere arrangementer og debatter i alle kommuner",
                        ["Nettverk for arrangementsansvarlige", "Felles arrangementskalender"],
                        [("Kurs i debattledelse for bibliotekansatte", "ongoing")],
                        [
                            (
                                "Kommuner med minst fire debatter i året",
                                "kommuner",
                                12,
                                [(2, 5), (1, 8)],
                            )
                        ],
                    ),
                    (
                        "1.2",
                        "Meråpne bibliotek i hele fylket",
                        ["Rådgivning om meråpent og sikkerhet"],
                        [("Erfaringsseminar om meråpent", "planned")],
                        [],
                    ),
                ],
            ),
            (
                "2",
                "Lesing og litteraturformidling",
                [
                    (
                        "2.1",
                        "Leselyst for barn og unge",
                        ["Bokprat i alle kommuner", "Samarbeid med skolebibliotekene"],
                        [
                            ("Kursrekka «Bokprat for barn»", "ongoing"),
                            ("Lesekampanje for ungdom", "planned"),
                        ],
                        [
                            (
                                "Andel kommuner med gjeldende bibliotekplan",
                                "%",
                                100,
                                [(2, 76), (1, 82)],
                            )
                        ],
                    ),
                ],
            ),
            (
                "3",
                "Digital kompetanse og kildekritikk",
                [
                    (
                        "3.1",
                        "Bibliotekene hjelper innbyggerne digitalt",
                        ["Digihjelp-opplæring for ansatte"],
                        [("Nettkurs i kildekritikk", "done")],
                        [],
                    ),
                ],
            ),
        ],
    },
    # Region Jönköpings län's own plan (Biblioteksplan Region Jönköpings län 2023–2025) and its
    # three focus areas, as the region's pages name them (../shared/seeds); the goals, measures
    # and indicators under them are demo content. The demo shifts the three years so the plan is
    # in force in the year the demo runs (2023–2025 when run in 2025).
    "jonkoping": {
        "title": "Biblioteksplan Region Jönköpings län {start}–{end}",
        "kind": "library",
        "years": (-2, 0),
        "adopted_by": "Regionfullmäktige",
        "summary": (
            "Biblioteksplanen tydliggör den regionala biblioteksverksamhetens uppdrag, "
            "ansvarsområden och kompetens, i enlighet med **bibliotekslagen** (2013:801). "
            "Verksamhetsidé: *Dela kunskap – främja samverkan – möjliggöra utveckling.*"
        ),
        "areas": [
            (
                "1",
                "Biblioteken i samhället",
                [
                    (
                        "1.1",
                        "Biblioteken är tillgängliga och likvärdiga i hela länet",
                        [
                            "Stöd till meröppna bibliotek",
                            "Uppföljning av kommunernas biblioteksplaner",
                        ],
                        [("Nätverksträffar om meröppet", "ongoing")],
                        [
                            (
                                "Andel kommuner med aktuell biblioteksplan",
                                "%",
                                100,
                                [(2, 85), (1, 92)],
                            )
                        ],
                    ),
                    (
                        "1.2",
                        "Biblioteken är mötesplatser för samtal och demokrati",
                        ["Programverksamhet för vuxna"],
                        [("Workshop om samtalsledning", "planned")],
                        [],
                    ),
                ],
            ),
            (
                "2",
                "Digital delaktighet och kompetens",
                [
                    (
                        "2.1",
                        "Invånarna får stöd att delta i det digitala samhället",
                        ["Kompetensutveckling i digital delaktighet"],
                        [("Webbinarieserie om AI och källkritik", "planned")],
                        [],
                    ),
                ],
            ),
            (
                "3",
                "Läsfrämjande, berättelser och bildning",
                [
                    (
                        "3.1",
                        "Fler barn och unga läser",
                        ["Samverkan med skolbiblioteken", "Bokstart i fler kommuner"],
                        [("Kursserie om läsfrämjande", "ongoing"), ("Bokstart-träffar", "done")],
                        [("Kommuner som arbetar med Bokstart", "kommuner", 13, [(2, 6), (1, 9)])],
                    ),
                ],
            ),
        ],
    },
}

TEMPLATES = {
    "ostfold": [
        (
            "Årlig dialogmøte med kommunen",
            "Hvordan går det med bibliotekplanen?\nHva er bibliotekets viktigste satsinger neste "
            "år?\nHvilke kurs og hvilken rådgivning trenger dere fra oss?\nHvordan samarbeider "
            "folke- og skolebibliotekene?",
        ),
        (
            "Kort oppfølgingsmøte",
            "Hva har skjedd siden sist?\nHva trenger dere hjelp til nå?",
        ),
    ],
    "jonkoping": [
        (
            "Årlig dialog med kommunen",
            "Hur går arbetet med biblioteksplanen?\nVilka är bibliotekets viktigaste "
            "satsningar nästa år?\nVilken kompetensutveckling behöver personalen?\nHur "
            "samverkar folk- och skolbiblioteken?",
        ),
        ("Kort uppföljning", "Vad har hänt sedan sist?\nVad behöver ni stöd med nu?"),
    ],
}

DIALOGUES = {
    "ostfold": [
        (
            "3105",
            "Biblioteksjef, kultursjef og rådgiver fra Bibliotekutvikling Østfold",
            "Bibliotekplanen går ut neste år. Kommunen starter arbeidet med ny plan i vår, "
            "og vi bidrar med eksempler og en workshop.",
            "Kommunen vurderer å slå sammen to filialer; ikke offentlig ennå.",
        ),
        (
            "3107",
            "Biblioteksjef og kommunalsjef for kultur",
            "Godt i gang med meråpent og bokprat; ønsker kurs i debattledelse.",
            "",
        ),
    ],
    "jonkoping": [
        (
            "0683",
            "Bibliotekschef, kulturchef och utvecklare från regionen",
            "Biblioteksplanen löper ut nästa år. Kommunen börjar arbeta med en ny plan och vill "
            "ha stöd med en omvärldsanalys.",
            "Budgeten för nästa år är osäker.",
        ),
        (
            "0680",
            "Bibliotekschef och skolbibliotekarie",
            "Samverkan med skolbiblioteken har blivit bättre; önskar fortbildning om läsfrämjande.",
            "",
        ),
    ],
}

# Municipal plans by position in the region's list (by name): (first, last) relative to this
# year, None for an open end; "missing" leaves the municipality without a plan.
PATTERN: list[Any] = [
    (-2, 2),
    (-1, 3),
    (-8, -4),  # expired
    "missing",
    (-5, -1),  # ended last year: current under KB's rule, period over
    (-6, None),  # open-ended
    (-3, 0),  # ends this year: expires soon
    (-4, 1),  # ends next year: expires soon
]
EXPIRING_NEXT_YEAR = {"3105", "0683"}  # the demo managers' municipalities: Sarpsborg, Värnamo


def _actor(agency: Agency) -> Actor | None:
    member = agency.team.filter(role=AgencyRole.ADMIN, user__isnull=False).first()
    return member.user if member else None


def _load_plan(agency: Agency, actor: Actor | None, spec: dict[str, Any], year: int) -> None:
    if Plan.objects.filter(agency=agency).exists():
        return
    start, end = year + spec["years"][0], year + spec["years"][1]
    plan = plans.plan_create(
        actor=actor,
        agency=agency,
        fields=plans.PlanFields(
            title=spec["title"].format(start=start, end=end),
            kind=spec["kind"],
            starts_year=start,
            ends_year=end,
            adopted_on=date(start - 1, 12, 10),
            adopted_by=spec["adopted_by"],
            summary=spec["summary"],
            is_published=True,
        ),
    )

    def add(model: Any, **data: Any) -> Any:
        return parts.part_create(
            actor=actor, agency=agency, plan=plan, model=model, cleaned_data=data
        )

    team = list(agency.team.order_by("position", "pk"))
    for area_order, (code, title, goals) in enumerate(spec["areas"]):
        area = add(FocusArea, code=code, title=title, order=area_order)
        for goal_order, (goal_code, goal_title, strategies, measures, indicators) in enumerate(
            goals
        ):
            goal = add(Goal, focus_area=area, code=goal_code, title=goal_title, order=goal_order)
            first = None
            for order, strategy in enumerate(strategies):
                created = add(Strategy, goal=goal, title=strategy, order=order)
                first = first or created
            for index, (measure, status) in enumerate(measures):
                add(
                    Action,
                    goal=goal,
                    strategy=first,
                    title=measure,
                    year=year,
                    status=status,
                    responsible=team[(index + area_order) % len(team)] if team else None,
                )
            for order, (name, unit, target, values) in enumerate(indicators):
                indicator = add(
                    Indicator, goal=goal, name=name, unit=unit, target=Decimal(target), order=order
                )
                for years_ago, value in values:
                    parts.indicator_value_set(
                        actor=actor,
                        agency=agency,
                        indicator=indicator,
                        year=year - years_ago,
                        value=Decimal(value),
                    )


def _load_municipal_plans(agency: Agency, actor: Actor | None, year: int) -> None:
    if MunicipalPlan.objects.filter(agency=agency).exists():
        return
    municipalities = Municipality.objects.filter(county__in=agency.counties.all()).order_by(
        "name", "pk"
    )
    title = "Biblioteksplan för {}" if agency.country == "SE" else "Bibliotekplan for {}"
    body = "Kommunfullmäktige" if agency.country == "SE" else "Kommunestyret"
    for index, municipality in enumerate(municipalities):
        pattern = PATTERN[index % len(PATTERN)]
        if municipality.code in EXPIRING_NEXT_YEAR:
            pattern = (-3, 1)
        if pattern == "missing":
            continue
        first, last = pattern
        starts = year + first
        municipal.municipal_plan_create(
            actor=actor,
            agency=agency,
            fields=municipal.MunicipalPlanFields(
                municipality=municipality,
                title=title.format(municipality.name),
                starts_year=starts,
                ends_year=None if last is None else year + last,
                adopted_on=date(starts - 1, 11, 20),
                adopted_by=body,
                covers_school_libraries=index % 3 != 1,
            ),
        )


def _load_dialogues(agency: Agency, actor: Actor | None, year: int) -> None:
    if DialogueTemplate.objects.filter(agency=agency).exists():
        return
    templates = [
        dialogues.dialogue_template_create(
            actor=actor,
            agency=agency,
            fields=dialogues.DialogueTemplateFields(title=title, questions=questions),
        )
        for title, questions in TEMPLATES[agency.slug]
    ]
    goals = dialogues.dialogue_goals(agency, year)
    progress = ["under_way", "reached", "not_started"]
    today = timezone.localdate()
    for index, (code, participants, summary, notes) in enumerate(DIALOGUES[agency.slug]):
        municipality = Municipality.objects.filter(
            country=agency.country, code=code, county__in=agency.counties.all()
        ).first()
        if municipality is None:
            continue
        template = templates[0]
        dialogues.dialogue_create(
            actor=actor,
            agency=agency,
            fields=dialogues.DialogueFields(
                municipality=municipality,
                year=year,
                date=today - timedelta(days=30 + 20 * index),
                template=template,
                participants=participants,
                summary=summary,
                internal_notes=notes,
                hours=Decimal("2.5"),
                consultant=actor,
            ),
            answers=[summary.split(".")[0] + "." for _question in template.question_list],
            # A dialogue discusses a few of the goals, not all: the others are left "not
            # discussed" (an empty status), and the dialogue counts only for those discussed.
            goal_statuses=[
                (goal, progress[(i + index) % len(progress)] if i % 2 == index % 2 else "", "")
                for i, goal in enumerate(goals)
            ],
        )


@transaction.atomic
def load() -> list[str]:
    year = timezone.localdate().year
    for agency in Agency.objects.filter(slug__in=list(PLANS)):
        actor = _actor(agency)
        _load_plan(agency, actor, PLANS[agency.slug], year)
        _load_municipal_plans(agency, actor, year)
        _load_dialogues(agency, actor, year)
    return []


def tag_with_goals(
    agency: Agency, objects: QuerySet[Any], *, reverse: bool = False, skip: int = 0
) -> int:
    """Give the agency's demo activities the goals of its current plan in turn, leaving every
    fifth one untagged so the follow-up shows what is "not tagged". Does nothing when some of
    them are tagged already (the demo ran before) or the agency has no current plan. Returns
    how many were tagged."""
    plan = next((p for p in Plan.objects.of(agency) if p.covers(timezone.localdate().year)), None)
    if plan is None or objects.filter(plan_goals__isnull=False).exists():
        return 0
    goals = list(Goal.objects.filter(plan=plan).order_by("focus_area__order", "order", "pk"))
    goals = (list(reversed(goals)) if reverse else goals)[skip:] or goals
    if not goals:
        return 0
    tagged = 0
    for index, obj in enumerate(objects.order_by("pk")):
        if index % 5 == 4:
            continue
        obj.plan_goals.add(goals[index % len(goals)])
        tagged += 1
    return tagged
