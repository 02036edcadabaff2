"""Demo class sets, loaded by `manage.py load_demo`. Idempotent: settings, holidays, themes and
titles are found by their keys, bookings by their e-mail address.

The catalogue is small on purpose: only books whose ISBN we are sure of (the check digit holds
and the edition is known), never an invented number. Both agencies get the same English sets
for English lessons; the Swedish agency has Astrid Lindgren's Bröderna Lejonhjärta too.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from bokbro.classsets import services
from bokbro.classsets.forms import delivery_libraries_of, schools_of
from bokbro.classsets.models import (
    Booking,
    CourierRoute,
    HolidayPeriod,
    Settings,
    Theme,
    Title,
    Weekday,
    monday,
)
from bokbro.classsets.services import BookingRequest, TitleData
from bokbro.directory.models import Agency, Library, Organisation, OrganisationKind

# (isbn, title, author, publisher, year, language, grades, themes, summary, countries)
TITLES: list[dict[str, Any]] = [
    {
        "isbn": "9789129688313",
        "title": "Bröderna Lejonhjärta",
        "author": "Astrid Lindgren",
        "publisher": "Rabén & Sjögren",
        "year": 2013,
        "language": "sv",
        "grades": ("4-5", "6-7"),
        "themes": {"SE": ["Vänskap", "Äventyr"]},
        "summary": {
            "SE": (
                "Två bröder i Nangijala kämpar mot tyrannen Tengil. Bra för samtal om mod, död "
                "och syskonkärlek."
            )
        },
        "has_audiobook": True,
        "countries": ("SE",),
    },
    {
        "isbn": "9780747532699",
        "title": "Harry Potter and the Philosopher's Stone",
        "author": "J.K. Rowling",
        "publisher": "Bloomsbury",
        "year": 1997,
        "language": "en",
        "grades": ("8-10",),
        "themes": {"NO": ["Fantasy", "Vennskap"], "SE": ["Fantasy", "Vänskap"]},
        "summary": {
            "NO": "Til engelskundervisningen: en historie mange elever kjenner fra før.",
            "SE": "Till engelskan: en berättelse många elever redan känner.",
        },
        "has_audiobook": True,
        "has_ebook": True,
        "countries": ("NO", "SE"),
    },
    {
        "isbn": "9780261102217",
        "title": "The Hobbit",
        "author": "J.R.R. Tolkien",
        "publisher": "HarperCollins",
        "year": 1991,
        "language": "en",
        "grades": ("8-10", "vg"),
        "themes": {"NO": ["Fantasy"], "SE": ["Fantasy", "Äventyr"]},
        "summary": {
            "NO": "Bilbos reise fram og tilbake igjen, for klasser som leser engelske romaner.",
            "SE": "Bilbos resa dit och tillbaka igen, för klasser som läser engelska romaner.",
        },
        "countries": ("NO", "SE"),
    },
    {
        "isbn": "9780261102354",
        "title": "The Fellowship of the Ring",
        "author": "J.R.R. Tolkien",
        "publisher": "HarperCollins",
        "year": 1991,
        "language": "en",
        "grades": ("vg",),
        "themes": {"NO": ["Fantasy"], "SE": ["Fantasy"]},
        "summary": {"NO": "Første del av Ringenes herre, for engelsk på videregående."},
        "countries": ("NO",),
    },
    {
        "isbn": "9780375869020",
        "title": "Wonder",
        "author": "R.J. Palacio",
        "publisher": "Alfred A. Knopf",
        "year": 2012,
        "language": "en",
        "grades": ("6-7", "8-10"),
        "themes": {"NO": ["Vennskap", "Mobbing"], "SE": ["Vänskap"]},
        "summary": {
            "NO": "Auggie begynner på skolen for første gang. Fin til samtaler om vennskap.",
            "SE": "Auggie börjar skolan för första gången. Bra för samtal om vänskap, mobbning.",
        },
        "countries": ("NO", "SE"),
    },
    {
        "isbn": "9780439023481",
        "title": "The Hunger Games",
        "author": "Suzanne Collins",
        "publisher": "Scholastic",
        "year": 2008,
        "language": "en",
        "grades": ("8-10", "vg"),
        "themes": {"NO": ["Dystopi"], "SE": ["Dystopi"]},
        "summary": {
            "NO": "En dystopisk roman for eldre elever: makt, medier og overlevelse.",
            "SE": "En dystopisk roman för äldre elever: makt, medier och överlevnad.",
        },
        "countries": ("NO", "SE"),
    },
    {
        "isbn": "9780142410318",
        "title": "Charlie and the Chocolate Factory",
        "author": "Roald Dahl",
        "publisher": "Puffin",
        "year": 2007,
        "language": "en",
        "grades": ("4-5", "6-7"),
        "themes": {"NO": ["Humor"], "SE": ["Humor", "Äventyr"]},
        "summary": {
            "NO": "Roald Dahls morsomme klassiker: en lett start på å lese en hel bok på engelsk.",
            "SE": "Roald Dahls roliga klassiker: en lätt start på att läsa en hel bok på engelska.",
        },
        "countries": ("NO", "SE"),
    },
]

# Name, first and last day as (month, day); None: winter holiday, week 8.
HOLIDAYS: dict[str, list[tuple[str, tuple[int, int] | None, tuple[int, int] | None]]] = {
    "NO": [
        ("Juleferie", (12, 21), (1, 2)),
        ("Vinterferie", None, None),
        ("Sommerferie", (6, 20), (8, 17)),
    ],
    "SE": [("Jullov", (12, 21), (1, 6)), ("Sommarlov", (6, 12), (8, 17))],
}


def _holidays(agency: Agency, today: date) -> None:
    for year in (today.year, today.year + 1):
        for name, first, last in HOLIDAYS.get(agency.country, []):
            if first is None or last is None:  # Vinterferie: week 8
                start = date.fromisocalendar(year, 8, 1)
                end = start + timedelta(days=6)
            else:
                start = date(year, *first)
                end = date(year + (1 if last[0] < first[0] else 0), *last)
            HolidayPeriod.objects.get_or_create(
                agency=agency, name=name, starts_on=start, defaults={"ends_on": end}
            )


def _school(agency: Agency) -> Organisation | None:
    school = schools_of(agency).first()
    if school is not None:
        return school
    library = delivery_libraries_of(agency).first()
    if library is None or library.municipality is None:
        return None
    return Organisation.objects.create(
        name=f"Exempelskolan i {library.municipality.name}",
        kind=OrganisationKind.SCHOOL,
        municipality=library.municipality,
    )


def _titles(agency: Agency, libraries: list[Library]) -> list[Title]:
    made: list[Title] = []
    for spec in TITLES:
        if agency.country not in spec["countries"]:
            continue
        title = Title.objects.filter(agency=agency, isbn=spec["isbn"]).first()
        if title is None:
            themes = tuple(
                Theme.objects.get_or_create(agency=agency, name=name)[0]
                for name in spec["themes"].get(agency.country, [])
            )
            title = services.title_create(
                actor=None,
                agency=agency,
                data=TitleData(
                    isbn=spec["isbn"],
                    title=spec["title"],
                    author=spec["author"],
                    publisher=spec["publisher"],
                    year=spec["year"],
                    language=spec["language"],
                    grade_bands=spec["grades"],
                    themes=themes,
                    summary=spec["summary"].get(agency.country, ""),
                    has_audiobook=spec.get("has_audiobook", False),
                    has_ebook=spec.get("has_ebook", False),
                ),
            )
            services.class_set_save(actor=None, agency=agency, title=title, copies=30)
            if libraries and len(made) % 2 == 0:
                services.class_set_save(
                    actor=None,
                    agency=agency,
                    title=title,
                    copies=15,
                    home_library=libraries[0],
                    condition_note="Godt brukt" if agency.country == "NO" else "Väl använd",
                )
        made.append(title)
    return made


def _bookings(agency: Agency, titles: list[Title], school: Organisation, library: Library) -> int:
    """A few bookings from next week on; a window that meets a holiday moves a week later."""
    start = monday(timezone.localdate()) + timedelta(weeks=1)
    made = 0
    for i, title in enumerate(titles[:4]):
        email = f"laerer{i}@{agency.slug}.example"
        if Booking.objects.filter(agency=agency, contact_email=email).exists():
            continue
        for week in range(i % 3, 12):
            first = start + timedelta(weeks=week)
            try:
                booking = services.booking_create(
                    agency=agency,
                    request=BookingRequest(
                        title=title,
                        copies=24 + i,
                        starts_on=first,
                        ends_on=first + timedelta(weeks=4, days=-3),
                        school=school,
                        class_name=f"{6 + i % 3}B",
                        contact_name="Lise Lærer" if agency.country == "NO" else "Lisa Lärare",
                        contact_email=email,
                        delivery_library=library,
                    ),
                )
            except (ValidationError, services.NotEnoughCopies):
                continue
            if i % 2 == 0:
                services.booking_confirm(booking=booking)
            made += 1
            break
    return made


def _route(agency: Agency, libraries: list[Library]) -> None:
    """One courier route through the demo's main libraries, on Tuesdays."""
    if not libraries or CourierRoute.objects.filter(agency=agency).exists():
        return
    name = "Slinga 1" if agency.language == "sv" else "Rute 1"
    services.route_save(
        actor=None, agency=agency, name=name, weekday=Weekday.TUESDAY, libraries=libraries
    )


def load() -> list[str]:
    lines = []
    today = timezone.localdate()
    for agency in Agency.objects.filter(slug__in=["ostfold", "jonkoping"]).order_by("pk"):
        Settings.objects.get_or_create(
            agency=agency,
            defaults={
                "default_weeks": 6,
                "max_weeks": 8,
                "hold_hours": 48,
                "replacement_price": Decimal("250"),
            },
        )
        _holidays(agency, today)
        libraries = list(delivery_libraries_of(agency)[:3])
        titles = _titles(agency, libraries)
        _route(agency, libraries)
        school = _school(agency)
        booked = 0
        if school is not None and libraries:
            booked = _bookings(agency, titles, school, libraries[0])
        lines.append(f"Class sets for {agency.slug}: {len(titles)} titles, {booked} new bookings")
    return lines
