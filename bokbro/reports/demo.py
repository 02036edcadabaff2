"""Demo content: this year's annual report gets its introductions in the agency's language,
for the agencies with a demo plan (plans' demo, which runs before). Loaded by
`manage.py load_demo`; idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bokbro.directory.models import Agency
from bokbro.plans.demo import PLANS
from bokbro.reports.models import ReportText


def _load_report_texts(agency: Agency, year: int) -> None:
    texts = REPORT_TEXTS.get(agency.language, REPORT_TEXTS["nb"])
    for section, text in texts.items():
        ReportText.objects.get_or_create(
            agency=agency, year=year, section=section, defaults={"text": text}
        )


@transaction.atomic
def load() -> list[str]:
    year = timezone.localdate().year
    for agency in Agency.objects.filter(slug__in=list(PLANS)):
        _load_report_texts(agency, year)
    return []


REPORT_TEXTS = {
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
