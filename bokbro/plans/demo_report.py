"""Demo content for the follow-up: the demo's events, consultations, projects and measures
tagged with the goals of the agency's plan, and this year's report introductions.

Runs after `plans.demo.load` (settings.BOKBRO_DEMO). For each agency with a plan covering this
year it tags its untagged activities with the plan's goals in turn, leaving every fifth one
untagged so the follow-up shows what is "not tagged"; and writes the introduction and the
reach section's text in the agency's language. Idempotent: an agency whose report introduction
for the year exists is left alone; nothing happens for an agency without a plan.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from bokbro.directory.models import Agency
from bokbro.plans.models import Goal, Plan, ReportText

TEXTS = {
    "nb": {
        "intro": (
            "Bibliotekutviklingen i fylket handler om at alle innbyggere skal ha et godt "
            "bibliotektilbud, uansett hvor de bor. Her er årets arbeid, ordnet etter "
            "satsingsområdene i den regionale planen.\n\n"
            "Takk til alle bibliotekene som har vært med på **kurs**, **nettverk** og "
            "**prosjekter** i år."
        ),
        "reach": (
            "Vi har nådd de fleste kommunene. Kommunene vi ikke har nådd, prioriterer vi ved "
            "neste års besøksrunde."
        ),
    },
    "nn": {
        "intro": (
            "Bibliotekutviklinga i fylket handlar om at alle innbyggjarar skal ha eit godt "
            "bibliotektilbod, same kvar dei bur. Her er arbeidet i år, ordna etter "
            "satsingsområda i den regionale planen."
        ),
        "reach": "Kommunane vi ikkje har nådd, prioriterer vi ved neste års besøksrunde.",
    },
    "sv": {
        "intro": (
            "Regional biblioteksutveckling handlar om att alla invånare ska ha en likvärdig "
            "tillgång till bibliotek, oavsett var de bor. Här är årets arbete, ordnat efter "
            "fokusområdena i den regionala biblioteksplanen.\n\n"
            "Tack till alla bibliotek som har deltagit i **kurser**, **nätverk** och "
            "**projekt** under året."
        ),
        "reach": (
            "Vi har nått de flesta kommunerna. De kommuner vi inte har nått prioriterar vi i "
            "nästa års besöksrunda."
        ),
    },
}


def _tag(objects: list[Any], goals: list[Goal]) -> int:
    """Give each object a goal in turn (every fifth none); returns how many were tagged."""
    tagged = 0
    for index, obj in enumerate(objects):
        if index % 5 == 4:
            continue
        obj.plan_goals.add(goals[index % len(goals)])
        tagged += 1
    return tagged


def _untagged(queryset: Any) -> list[Any]:
    return list(queryset.filter(plan_goals__isnull=True).order_by("pk"))


@transaction.atomic
def _load_agency(agency: Agency, year: int) -> None:
    from bokbro.advisory.models import Consultation
    from bokbro.events.models import Event
    from bokbro.projects.models import Measure, Project

    plan = next((p for p in Plan.objects.of(agency) if p.covers(year)), None)
    if plan is None:
        return
    if ReportText.objects.filter(agency=agency, year=year, section="intro").exists():
        return
    goals = list(Goal.objects.filter(plan=plan).order_by("focus_area__order", "order", "pk"))
    if not goals:
        return
    _tag(_untagged(Event.objects.filter(agency=agency)), goals)
    _tag(_untagged(Consultation.objects.filter(agency=agency)), goals)
    _tag(_untagged(Project.objects.filter(agency=agency)), list(reversed(goals)))
    _tag(_untagged(Measure.objects.filter(project__agency=agency)), goals[1:] or goals)
    texts = TEXTS.get(agency.language, TEXTS["nb"])
    for section, text in texts.items():
        ReportText.objects.get_or_create(
            agency=agency, year=year, section=section, defaults={"text": text}
        )


def load() -> None:
    year = timezone.localdate().year
    for agency in Agency.objects.order_by("pk"):
        _load_agency(agency, year)
