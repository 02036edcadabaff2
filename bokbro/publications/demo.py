"""Demo publications, loaded by `manage.py load_demo`: three per agency (an annual report, a
guide and an evaluation), each a small PDF made here, found again by title (idempotent). No
ISBN is invented: a real one is only where we know it."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from bokbro.directory.models import Agency
from bokbro.plans.models import Goal
from bokbro.publications import services
from bokbro.publications.models import Kind, MagazineIssue, Publication, ScanItem


def pdf(text: str) -> bytes:
    """A one-page PDF saying `text` (ASCII), small and valid."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TEXTS = {
    "nb": [
        (
            "Årsmelding {year}",
            Kind.REPORT,
            "Hva vi gjorde sammen med bibliotekene i fylket i fjor.",
        ),
        (
            "Veileder for lesesirkler på biblioteket",
            Kind.GUIDE,
            "Slik starter og driver du en lesesirkel: invitasjon, bokvalg og samtale.",
        ),
        (
            "Evaluering av Sommerles i fylket",
            Kind.EVALUATION,
            "Hva barna, bibliotekene og skolene sa om sommerens lesekampanje.",
        ),
    ],
    "sv": [
        (
            "Verksamhetsberättelse {year}",
            Kind.REPORT,
            "Vad vi gjorde tillsammans med länets bibliotek förra året.",
        ),
        (
            "Guide för läsecirklar på biblioteket",
            Kind.GUIDE,
            "Så startar och leder du en läsecirkel: inbjudan, bokval och samtal.",
        ),
        (
            "Utvärdering av sommarboken i länet",
            Kind.EVALUATION,
            "Vad barnen, biblioteken och skolorna tyckte om sommarens läsfrämjande.",
        ),
    ],
}


# Horizon scanning: real organisations' own pages, in the agency's words.
SCANNING = {
    "nb": [
        (
            "Nasjonalbiblioteket: nytt fra nasjonalbiblioteket",
            "https://www.nb.no/",
            "Nasjonalbiblioteket",
            "Bibliotekutvikling",
        ),
        (
            "Norsk bibliotekforening: bibliotekpolitikk og debatt",
            "https://norskbibliotekforening.no/",
            "Norsk bibliotekforening",
            "Bibliotekpolitikk",
        ),
        (
            "IFLA: internasjonalt biblioteksamarbeid",
            "https://www.ifla.org/",
            "IFLA",
            "Internasjonalt",
        ),
        (
            "Kulturrådet: tilskudd og utredninger",
            "https://www.kulturradet.no/",
            "Kulturrådet",
            "Finansiering",
        ),
        (
            "Foreningen !les: lesestimulering for barn og unge",
            "https://foreningenles.no/",
            "Foreningen !les",
            "Lesing",
        ),
        (
            "Europeana: digital kulturarv",
            "https://www.europeana.eu/",
            "Europeana",
            "Digitalisering",
        ),
    ],
    "sv": [
        (
            "Kungliga biblioteket: nationell biblioteksstrategi",
            "https://www.kb.se/",
            "Kungliga biblioteket",
            "Biblioteksutveckling",
        ),
        (
            "Svensk biblioteksförening: påverkan och rapporter",
            "https://www.biblioteksforeningen.se/",
            "Svensk biblioteksförening",
            "Bibliotekspolitik",
        ),
        (
            "IFLA: internationellt bibliotekssamarbete",
            "https://www.ifla.org/",
            "IFLA",
            "Internationellt",
        ),
        (
            "Kulturrådet: bidrag och läsfrämjande",
            "https://www.kulturradet.se/",
            "Kulturrådet",
            "Läsfrämjande",
        ),
        (
            "Regionbibliotek i samverkan",
            "https://www.regionbibliotek.se/",
            "Regionbiblioteken",
            "Samverkan",
        ),
        (
            "Europeana: digitalt kulturarv",
            "https://www.europeana.eu/",
            "Europeana",
            "Digitalisering",
        ),
    ],
}


def _scanning(agency: Agency, language: str) -> int:
    made = 0
    for days, (title, url, source, tag) in enumerate(SCANNING[language]):
        if ScanItem.objects.filter(agency=agency, title=title).exists():
            continue
        services.scan_item_save(
            actor=None,
            agency=agency,
            data=services.ScanItemData(
                url=url,
                title=title,
                source=source,
                tags=tag,
                published_on=timezone.localdate() - timedelta(days=days * 5),
            ),
        )
        made += 1
    return made


MAGAZINE = {
    "nb": (
        "Biblioteknytt nr. 1",
        "Bokbussen",
        [
            (
                "Bokbussen kommer – også i snøvær",
                "Sjåføren og bibliotekaren forteller om en vinterdag på ruta.",
                "## Klokka sju\n\n"
                "Bokbussen står klar i garasjen. Dagens rute har **elleve stopp**.",
            ),
            (
                "Leseombud på sykehjemmet",
                "Frivillige leser høyt hver uke, og biblioteket låner ut bøkene.",
                "Ordningen startet i fjor og er nå i fire kommuner.",
            ),
        ],
    ),
    "sv": (
        "Biblioteksbladet nr 1",
        "Bokbussen",
        [
            (
                "Bokbussen kommer – även i snöoväder",
                "Chauffören och bibliotekarien berättar om en vinterdag på turen.",
                "## Klockan sju\n\n"
                "Bokbussen står redo i garaget. Dagens tur har **elva hållplatser**.",
            ),
            (
                "Läsombud på äldreboendet",
                "Frivilliga läser högt varje vecka, och biblioteket lånar ut böckerna.",
                "Verksamheten startade förra året och finns nu i fyra kommuner.",
            ),
        ],
    ),
}


def _magazine(agency: Agency, language: str) -> int:
    title, theme, articles = MAGAZINE[language]
    if MagazineIssue.objects.filter(agency=agency, title=title).exists():
        return 0
    issue = services.issue_save(actor=None, agency=agency, title=title, theme=theme)
    for position, (heading, lead, body) in enumerate(articles):
        services.article_save(
            actor=None,
            agency=agency,
            issue=issue,
            data=services.ArticleData(
                title=heading, lead=lead, body=body, author=agency.name, position=position
            ),
        )
    services.issue_save(
        actor=None, agency=agency, issue=issue, title=title, theme=theme, publish=True
    )
    return 1


def load() -> list[str]:
    lines = []
    year = timezone.localdate().year - 1
    for agency in Agency.objects.filter(slug__in=["ostfold", "jonkoping"]).order_by("pk"):
        language = "sv" if agency.country == "SE" else "nb"
        goals = list(Goal.objects.for_choices(agency)[:1])
        made = 0
        for title, kind, summary in TEXTS[language]:
            title = title.format(year=year)
            if Publication.objects.filter(agency=agency, title=title).exists():
                continue
            services.publication_save(
                actor=None,
                agency=agency,
                data=services.PublicationData(
                    title=title,
                    authors=agency.name,
                    year=year,
                    kind=kind,
                    language=language,
                    summary=summary,
                    file=ContentFile(pdf(title.encode("ascii", "replace").decode()), "file.pdf"),
                    publish=True,
                ),
                plan_goals=goals,
            )
            made += 1
        scanned = _scanning(agency, language)
        issues = _magazine(agency, language)
        lines.append(
            f"Publications for {agency.slug}: {made} new, {scanned} scanning items, "
            f"{issues} magazine issues"
        )
    return lines
