"""Demo publications, loaded by `manage.py load_demo`: three per agency (an annual report, a
guide and an evaluation), each a small PDF made here, found again by title (idempotent). No
ISBN is invented: a real one is only where we know it."""

from __future__ import annotations

import io
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


# Horizon scanning: what the agency noticed at real organisations (their own sites), each with
# a few lines in the agency's words: title, link, source, topics, summary.
SCANNING = {
    "nb": [
        (
            "Prosjektmidler til bibliotekutvikling: søknadsfristen nærmer seg",
            "https://www.nb.no/",
            "Nasjonalbiblioteket",
            "Finansiering",
            "Nasjonalbiblioteket lyser ut prosjekt- og utviklingsmidler igjen. Vi hjelper "
            "bibliotekene med søknadene: ta kontakt før fristen.",
        ),
        (
            "Folkebibliotekstatistikken for i fjor er publisert",
            "https://www.nb.no/",
            "Nasjonalbiblioteket",
            "Statistikk",
            "Besøket er tilbake på nivået fra før pandemien, utlånet av e-bøker øker. Tallene "
            "for bibliotekene i fylket ligger på bibliotekprofilene.",
        ),
        (
            "Nasjonal bibliotekstrategi: hva betyr den for fylket?",
            "https://www.regjeringen.no/",
            "Kultur- og likestillingsdepartementet",
            "Bibliotekpolitikk",
            "Strategien vektlegger bibliotekene som møteplass og arena for demokrati. Vi tar "
            "den opp på Biblioteklederforum.",
        ),
        (
            "Debatt om meråpne bibliotek og bemanning",
            "https://norskbibliotekforening.no/",
            "Norsk bibliotekforening",
            "Bibliotekpolitikk, Meråpent",
            "Foreningen mener meråpent må komme i tillegg til betjent åpningstid, ikke i stedet "
            "for. Nyttig bakgrunn for kommunene som utvider.",
        ),
        (
            "Sommerles: påmeldingen for bibliotekene er åpnet",
            "https://www.sommerles.no/",
            "Sommerles",
            "Lesing",
            "Alle folkebibliotekene i fylket var med i fjor. Vi holder et digitalt "
            "oppstartsmøte for barnebibliotekarene i mai.",
        ),
        (
            "Tilskudd til litteratur- og leseprosjekter",
            "https://www.kulturradet.no/",
            "Kulturrådet",
            "Finansiering, Lesing",
            "Kulturrådet støtter lesefremmende tiltak for barn og unge. Passer for "
            "samarbeid mellom bibliotek og skole.",
        ),
        (
            "Forskning om barns lesevaner",
            "https://www.uis.no/nb/lesesenteret",
            "Lesesenteret, Universitetet i Stavanger",
            "Lesing, Forskning",
            "Ny kunnskap om hvorfor lesing på fritiden faller på mellomtrinnet. Relevant for "
            "kursrekken om bokprat.",
        ),
        (
            "Nyheter fra bibliotek-Norge",
            "https://bibforum.no/",
            "Bibliotekforum",
            "Bibliotekutvikling",
            "Bibliotekforum skriver om et bibliotek i Agder som har flyttet inn i et "
            "kjøpesenter. Verdt å lese før flyttesakene i Moss og Rakkestad.",
        ),
        (
            "Klarspråk i kommunikasjonen med innbyggerne",
            "https://sprakradet.no/",
            "Språkrådet",
            "Formidling",
            "Gode råd om klart språk på nettsider og i skilting. Vi bruker dem i kurset om "
            "bibliotekets nettsider.",
        ),
        (
            "Digital kompetanse for voksne",
            "https://hkdir.no/",
            "Direktoratet for høyere utdanning og kompetanse",
            "Digital kompetanse",
            "Tilskuddsordning for opplæring i grunnleggende digitale ferdigheter. "
            "Bibliotekene kan søke sammen med voksenopplæringen.",
        ),
        (
            "Retningslinjer for folkebibliotek",
            "https://www.ifla.org/",
            "IFLA",
            "Internasjonalt",
            "IFLA og UNESCO har oppdatert folkebibliotekmanifestet. Godt grunnlag for "
            "kommunenes bibliotekplaner.",
        ),
        (
            "Digital kulturarv i undervisningen",
            "https://www.europeana.eu/",
            "Europeana",
            "Digitalisering",
            "Europeanas samlinger har nye undervisningsopplegg. Kan brukes i skolesamarbeidet.",
        ),
    ],
    "sv": [
        (
            "Nationell biblioteksstrategi: vad betyder den för länet?",
            "https://www.kb.se/",
            "Kungliga biblioteket",
            "Biblioteksutveckling",
            "Strategin betonar folkbiblioteken som demokratiska mötesplatser. Vi tar upp den "
            "på Bibliotekschefsforum.",
        ),
        (
            "Biblioteksstatistiken för förra året är publicerad",
            "https://www.kb.se/",
            "Kungliga biblioteket",
            "Statistik",
            "Besöken är tillbaka på nivån före pandemin och e-boksutlånet ökar. Länets siffror "
            "finns på biblioteksprofilerna.",
        ),
        (
            "Rapport om folkbibliotekens bemanning",
            "https://www.biblioteksforeningen.se/",
            "Svensk biblioteksförening",
            "Bibliotekspolitik, Meröppet",
            "Föreningen menar att meröppet ska komma utöver bemannade öppettider, inte i "
            "stället. Bra underlag för kommunerna som bygger ut.",
        ),
        (
            "Bidrag till läsfrämjande insatser",
            "https://www.kulturradet.se/",
            "Kulturrådet",
            "Läsfrämjande, Finansiering",
            "Kulturrådet stöder läsfrämjande för barn och unga. Passar för samarbeten mellan "
            "bibliotek och skola.",
        ),
        (
            "Sommarboken: anmälan för biblioteken är öppen",
            "https://www.lasrorelsen.nu/",
            "Läsrörelsen",
            "Läsfrämjande",
            "Alla länets folkbibliotek var med förra året. Vi håller ett digitalt startmöte "
            "för barnbibliotekarierna i maj.",
        ),
        (
            "Svenskarna och internet",
            "https://internetstiftelsen.se/",
            "Internetstiftelsen",
            "Digital delaktighet",
            "Årets undersökning: var tionde äldre använder inte internet alls. Underlag för "
            "bibliotekens digitala vägledning.",
        ),
        (
            "Barn, unga och medier",
            "https://www.mediemyndigheten.se/",
            "Mediemyndigheten",
            "Medie- och informationskunnighet",
            "Nya siffror om ungas medievanor. Relevant för kursen i källkritik för "
            "skolbibliotekarier.",
        ),
        (
            "Lättläst och talböcker för alla",
            "https://www.mtm.se/",
            "Myndigheten för tillgängliga medier",
            "Tillgänglighet",
            "MTM har nytt material om anpassade medier. Sprid till biblioteken inför "
            "Tillgänglighetsveckan.",
        ),
        (
            "Nyheter från biblioteksvärlden",
            "https://www.biblioteksbladet.se/",
            "Biblioteksbladet",
            "Biblioteksutveckling",
            "Biblioteksbladet skriver om ett bibliotek i Skåne som flyttat in i ett "
            "köpcentrum. Läsvärt inför Vetlandas flytt.",
        ),
        (
            "Samverkan mellan regionbiblioteken",
            "https://www.regionbibliotek.se/",
            "Regionbiblioteken",
            "Samverkan",
            "De regionala biblioteksverksamheterna samordnar kompetensutvecklingen. Vi "
            "deltar i arbetsgruppen för läsfrämjande.",
        ),
        (
            "Riktlinjer för folkbibliotek",
            "https://www.ifla.org/",
            "IFLA",
            "Internationellt",
            "IFLA och Unesco har uppdaterat folkbiblioteksmanifestet. Bra grund för "
            "kommunernas biblioteksplaner.",
        ),
        (
            "Digitalt kulturarv i undervisningen",
            "https://www.europeana.eu/",
            "Europeana",
            "Digitalisering",
            "Europeanas samlingar har nya lektionsupplägg. Kan användas i skolsamarbetet.",
        ),
    ],
}


def _scanning(agency: Agency, language: str) -> int:
    made = 0
    for days, (title, url, source, tags, summary) in enumerate(SCANNING[language]):
        if ScanItem.objects.filter(agency=agency, title=title).exists():
            continue
        services.scan_item_save(
            actor=None,
            agency=agency,
            data=services.ScanItemData(
                url=url,
                title=title,
                source=source,
                tags=tags,
                summary=summary,
                published_on=timezone.localdate() - timedelta(days=days * 4),
            ),
        )
        made += 1
    return made


# The magazine: title, theme, editorial, and the articles (title, author, lead, body).
MAGAZINE = {
    "nb": (
        "Biblioteknytt nr. 1",
        "Bibliotek der folk bor",
        "Denne utgaven handler om bibliotekene som reiser ut: bokbussen, leseombudene og "
        "bibliotekarene som hospiterer hos hverandre. God lesing!\n\n*Kari Nilsen, redaktør*",
        [
            (
                "Bokbussen kommer – også i snøvær",
                "Per Hansen",
                "Sjåføren og bibliotekaren forteller om en vinterdag på ruta gjennom Indre "
                "Østfold.",
                "## Klokka sju\n\n"
                "Bokbussen står klar i garasjen i Mysen. Dagens rute har **elleve stopp**, "
                "fra skolen i Båstad til sykehjemmet i Ørje.\n\n"
                "## Det viktigste stoppet\n\n"
                "– Noen kommer hver gang, uansett vær, sier bibliotekaren. – For dem er "
                "bokbussen ukens faste avtale.\n\n"
                "- 1 400 besøk i fjor\n- 9 000 utlån\n- 3 nye stopp fra høsten",
            ),
            (
                "Leseombud på sykehjemmet",
                "Aisha Rahman",
                "Frivillige leser høyt hver uke, og biblioteket låner ut bøkene.",
                "Ordningen startet i Fredrikstad for to år siden og er nå i fire kommuner. "
                "Biblioteket kurser de frivillige og setter sammen bokkasser.\n\n"
                "> Det beste er samtalen etterpå, sier en av leseombudene.",
            ),
            (
                "Fem dager i Halden",
                "Lina Svensson",
                "En bibliotekarie fra Värnamo hospiterte i Halden. Hva tok hun med seg hjem?",
                "Hospiteringen var en del av prosjektet *Leselyst over grensen*. Lina fulgte "
                "det meråpne biblioteket, språkkafeen og planleggingen av høstens "
                "arrangementer.\n\n"
                "– Vi skal prøve en fast frivilligkoordinator i Värnamo, sier hun.",
            ),
        ],
    ),
    "sv": (
        "Bibliotek i länet nr 1",
        "Biblioteket där folk bor",
        "Det här numret handlar om biblioteken som rör sig ut: bokbussen, läsombuden och "
        "bibliotekarierna som auskulterar hos varandra. Trevlig läsning!\n\n"
        "*Johan Ek, redaktör*",
        [
            (
                "Bokbussen kommer – även i snöoväder",
                "Johan Ek",
                "Chauffören och bibliotekarien berättar om en vinterdag på turen runt Jönköping.",
                "## Klockan sju\n\n"
                "Bokbussen står redo i garaget. Dagens tur har **elva hållplatser**, från "
                "skolan i Kaxholmen till äldreboendet i Bankeryd.\n\n"
                "## Den viktigaste hållplatsen\n\n"
                "– Vissa kommer varje gång, oavsett väder, säger bibliotekarien.\n\n"
                "- 1 200 besök förra året\n- 8 000 lån\n- 2 nya hållplatser i höst",
            ),
            (
                "Läsombud på äldreboendet",
                "Lina Svensson",
                "Frivilliga läser högt varje vecka, och biblioteket lånar ut böckerna.",
                "Verksamheten startade i Värnamo för två år sedan och finns nu i fyra "
                "kommuner. Biblioteket utbildar läsombuden och sätter ihop boklådor.\n\n"
                "> Det bästa är samtalet efteråt, säger ett av läsombuden.",
            ),
            (
                "Boktips för mellanstadiet",
                "Maja Lindberg",
                "Barnbibliotekarierna i länet delar sina bästa tips för läsare mellan nio och "
                "tolv år.",
                "Nätverket samlade tipsen på sin senaste träff. Här är fem av dem, med "
                "bibliotekariens egen motivering.",
            ),
        ],
    ),
}
PICTURE_TEXT = {
    "nb": ("Tegning av bokbussen på et stopp en snøværsdag", "Bokbro-demoen"),
    "sv": ("Teckning av bokbussen vid en hållplats en snöig dag", "Bokbro-demon"),
}


def bus_picture() -> bytes | None:
    """A small drawing of the mobile library in the snow (PNG), or None without Pillow."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return None
    image = Image.new("RGB", (960, 540), (214, 228, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 400, 960, 540), fill=(250, 250, 252))
    draw.rounded_rectangle((180, 200, 760, 410), radius=28, fill=(0, 98, 186))
    for x in range(230, 620, 110):
        draw.rounded_rectangle((x, 235, x + 80, 300), radius=8, fill=(225, 238, 250))
    draw.rounded_rectangle((650, 235, 735, 380), radius=8, fill=(225, 238, 250))
    for x in (290, 640):
        draw.ellipse((x - 45, 370, x + 45, 460), fill=(40, 44, 52))
        draw.ellipse((x - 18, 397, x + 18, 433), fill=(180, 184, 190))
    for i in range(90):
        x, y = (i * 97) % 960, (i * 53) % 400
        draw.ellipse((x, y, x + 7, y + 7), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _magazine(agency: Agency, language: str) -> int:
    title, theme, editorial, articles = MAGAZINE[language]
    if MagazineIssue.objects.filter(agency=agency, title=title).exists():
        return 0
    issue = services.issue_save(actor=None, agency=agency, title=title, theme=theme, lead=editorial)
    picture = bus_picture()
    description, credit = PICTURE_TEXT[language]
    for position, (heading, author, lead, body) in enumerate(articles):
        first = position == 0 and picture is not None
        services.article_save(
            actor=None,
            agency=agency,
            issue=issue,
            data=services.ArticleData(
                title=heading,
                lead=lead,
                body=body,
                author=author,
                position=position,
                picture=ContentFile(picture, "bokbussen.png") if first and picture else None,
                picture_text=description if first else "",
                picture_credit=credit if first else "",
            ),
        )
    services.issue_save(
        actor=None,
        agency=agency,
        issue=issue,
        title=title,
        theme=theme,
        lead=editorial,
        publish=True,
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
