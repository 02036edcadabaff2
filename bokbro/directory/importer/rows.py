"""The Norwegian and Swedish files read into `Rows`: model field values keyed by natural key."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bokbro.directory.importer.files import (
    DirectoryImportError,
    Key,
    csv_records,
    json_records,
    max_length,
    show,
    unique,
    xlsx_records,
)
from bokbro.directory.models import (
    Country,
    County,
    Library,
    LibraryKind,
    Municipality,
    MunicipalityChange,
)

NO_COUNTIES = "no/fylker-2025.json"
NO_MUNICIPALITIES = "no/kommuner-2025.json"
NO_CHANGES = "no/ssb_kommune_changes_2011_2024.csv"
SE_COUNTIES = "se/counties.csv"
SE_MUNICIPALITIES = "se/municipalities.csv"
SE_OFFICIAL_NAMES = "se/Svenska_kommuner_2017.csv"
SE_LIBRARIES = "se/libraries/Storfil_matchning_20151118.xlsx"
SE_LIBRARIES_SHEET = "2014"

# When the people were counted, which is not what the file names suggest (see the SOURCE.md files).
NO_POPULATION_DATE = date(2024, 1, 1)
SE_POPULATION_DATE = date(2016, 12, 31)

KB_SOURCE = "kb-2014"
DERIVED_SOURCE = "derived"

WRITTEN_LANGUAGES = {"Bokmål": "bokmål", "Nynorsk": "nynorsk", "Nøytral": "neutral"}

# KB's library types; anything not listed (univbib, specbib, muslan, …) is "other".
KB_KINDS = {
    "folkbib": LibraryKind.MAIN,
    "skolbib": LibraryKind.SCHOOL,
    "gymbib": LibraryKind.SCHOOL,
    "friskol": LibraryKind.SCHOOL,
    "frisgym": LibraryKind.SCHOOL,
    "sjukbib": LibraryKind.HOSPITAL,
}
KB_PUBLIC_LIBRARY = "folkbib"
# KB lists Karlstad's branches before its main library, so file order alone picks the wrong one.
MAIN_LIBRARY_WORDS = ("stadsbibliotek", "huvudbibliotek")

_POSTCODE = re.compile(r"(\d{3}) ?(\d{2})")

BATCH_SIZE = 500


@dataclass
class Rows:
    """Everything the files hold, checked, as model field values keyed by natural key.

    Foreign keys are still natural keys here ("county": (country, code)); they become ids
    when written."""

    counties: dict[Key, dict[str, Any]] = field(default_factory=dict)
    municipalities: dict[Key, dict[str, Any]] = field(default_factory=dict)
    municipality_changes: dict[Key, dict[str, Any]] = field(default_factory=dict)
    kb_libraries: dict[str, dict[str, Any]] = field(default_factory=dict)
    derived_libraries: dict[Key, dict[str, Any]] = field(default_factory=dict)


def read_directory(data_dir: Path) -> Rows:
    """Read and check every file; raise `DirectoryImportError` at the first problem."""
    if not data_dir.is_dir():
        raise DirectoryImportError(f"{data_dir}: no such directory")
    rows = Rows()
    _read_norway(data_dir, rows)
    _read_sweden(data_dir, rows)
    return rows


def _read_norway(data_dir: Path, rows: Rows) -> None:
    name_length = max_length(County, "name")
    seen: dict[Key, int] = {}
    for record in json_records(data_dir / NO_COUNTIES):
        code = record.code("f_id", 2)
        unique(seen, (code,), record, "f_id")
        rows.counties[(Country.NORWAY, code)] = {
            "country": Country.NORWAY,
            "code": code,
            "name": record.text("f_name", max_length=name_length, required=True),
            "website": record.url("f_url", max_length=max_length(County, "website")),
        }

    name_length = max_length(Municipality, "name")
    seen = {}
    for record in json_records(data_dir / NO_MUNICIPALITIES):
        code = record.code("k_id", 4)
        unique(seen, (code,), record, "k_id")
        county = (Country.NORWAY, code[:2])
        if county not in rows.counties:
            raise record.error("k_id", f"county {code[:2]} is not in {Path(NO_COUNTIES).name}")
        official_name = record.text("k_name", max_length=name_length, required=True)
        # k_name is the Sami name for the Sami-administrative municipalities (Guovdageaidnu);
        # people look for the Norwegian one (Kautokeino).
        name = record.text("k_name_no", max_length=name_length) or official_name
        population = record.whole_number("k_population")
        rows.municipalities[(Country.NORWAY, code)] = {
            "country": Country.NORWAY,
            "code": code,
            "name": name,
            "official_name": official_name,
            "county": county,
            "population": population,
            "population_date": NO_POPULATION_DATE if population is not None else None,
            "admin_centre": record.text(
                "k_adm_center", max_length=max_length(Municipality, "admin_centre")
            ),
            "written_language": record.choice("k_language", WRITTEN_LANGUAGES),
            "website": record.url("k_url", max_length=max_length(Municipality, "website")),
        }
        rows.derived_libraries[(Country.NORWAY, code)] = {
            "name": f"{name} bibliotek",
            "kind": LibraryKind.MAIN,
            "municipality": (Country.NORWAY, code),
            "source": DERIVED_SOURCE,
            "is_derived": True,
        }

    name_length = max_length(MunicipalityChange, "old_name")
    seen = {}
    columns = ("oldCode", "oldName", "newCode", "newName", "changeOccurred")
    for record in csv_records(data_dir / NO_CHANGES, columns):
        old_code, new_code = record.code("oldCode", 4), record.code("newCode", 4)
        changed_on = record.iso_date("changeOccurred")
        key = (Country.NORWAY, old_code, new_code, changed_on)
        unique(seen, key, record, "changeOccurred")
        rows.municipality_changes[key] = {
            "country": Country.NORWAY,
            "old_code": old_code,
            "old_name": record.text("oldName", max_length=name_length, required=True),
            "new_code": new_code,
            "new_name": record.text("newName", max_length=name_length, required=True),
            "changed_on": changed_on,
        }


def _fits(official_name: str, short_name: str) -> bool:
    """Whether a full name names the place, allowing for the genitive: Falun → Falu kommun."""
    return official_name.casefold().startswith(short_name.casefold()[:-1])


def _read_sweden(data_dir: Path, rows: Rows) -> None:
    seen: dict[Key, int] = {}
    for record in csv_records(data_dir / SE_COUNTIES, ("county_code", "county_name")):
        code = record.code("county_code", 2)
        unique(seen, (code,), record, "county_code")
        rows.counties[(Country.SWEDEN, code)] = {
            "country": Country.SWEDEN,
            "code": code,
            "name": record.text(
                "county_name", max_length=max_length(County, "name"), required=True
            ),
        }

    name_length = max_length(Municipality, "name")
    official: dict[str, tuple[str, int | None]] = {}
    seen = {}
    for record in csv_records(data_dir / SE_OFFICIAL_NAMES, ("Kod", "Kommun", "Folkmängd")):
        code = record.code("Kod", 4)
        unique(seen, (code,), record, "Kod")
        official[code] = (
            record.text("Kommun", max_length=name_length, required=True),
            record.whole_number("Folkmängd"),
        )

    seen = {}
    columns = ("municipality_code", "municipality_name", "municipality_name_short", "county_code")
    for record in csv_records(data_dir / SE_MUNICIPALITIES, columns):
        code = record.code("municipality_code", 4)
        unique(seen, (code,), record, "municipality_code")
        county_code = record.code("county_code", 2)
        if county_code != code[:2] or (Country.SWEDEN, county_code) not in rows.counties:
            raise record.error(
                "county_code",
                f"{show(county_code)} is not a county in {Path(SE_COUNTIES).name} or does not"
                f" match the municipality code {code}",
            )
        # municipality_name has machine-made errors ("Kalmars kommun"); the short one has not.
        name = record.text("municipality_name_short", max_length=name_length, required=True)
        official_name = record.text("municipality_name", max_length=name_length)
        population = None
        if code in official:
            official_2017, population = official[code]
            if _fits(official_2017, name):
                official_name = official_2017
        rows.municipalities[(Country.SWEDEN, code)] = {
            "country": Country.SWEDEN,
            "code": code,
            "name": name,
            "official_name": official_name,
            "county": (Country.SWEDEN, county_code),
            "population": population,
            "population_date": SE_POPULATION_DATE if population is not None else None,
        }

    _read_kb_libraries(data_dir, rows)


def _read_kb_libraries(data_dir: Path, rows: Rows) -> None:
    columns = ("Bibliotek", "Adress", "Postnr", "Ort", "Kommunkod", "Bibliotekstyp", "Sigel")
    records = xlsx_records(data_dir / SE_LIBRARIES, SE_LIBRARIES_SHEET, columns)
    public_libraries: dict[Key, list[tuple[str, str]]] = {}
    seen: dict[Key, int] = {}
    for record in records:
        sigel = record.text("Sigel", max_length=max_length(Library, "sigel"), required=True)
        unique(seen, (sigel,), record, "Sigel")
        name = record.text("Bibliotek", max_length=max_length(Library, "name"), required=True)
        place = record.code("Kommunkod", 4)
        municipality: Key | None = (Country.SWEDEN, place)
        county: Key | None = None
        if municipality not in rows.municipalities:
            # "LL00": a library run for the whole county (län), such as its hospital libraries.
            county, municipality = (Country.SWEDEN, place[:2]), None
            if not place.endswith("00") or county not in rows.counties:
                raise record.error(
                    "Kommunkod", f"{show(place)} is neither a municipality nor a county (LL00)"
                )
        library_type = record.text("Bibliotekstyp", max_length=40, required=True)
        if library_type == KB_PUBLIC_LIBRARY and municipality is not None:
            public_libraries.setdefault(municipality, []).append((sigel, name))
        postcode = record.text("Postnr", max_length=20)
        if postcode:
            match = _POSTCODE.fullmatch(postcode)
            if not match:
                raise record.error("Postnr", f"{show(postcode)} is not a Swedish postcode")
            postcode = f"{match[1]} {match[2]}"
        rows.kb_libraries[sigel] = {
            "sigel": sigel,
            "name": name,
            "kind": KB_KINDS.get(library_type, LibraryKind.OTHER),
            "municipality": municipality,
            "county": county,
            "street_address": record.text(
                "Adress", max_length=max_length(Library, "street_address")
            ),
            "postcode": postcode,
            "city": record.text("Ort", max_length=max_length(Library, "city")),
            "source": KB_SOURCE,
        }

    for libraries in public_libraries.values():
        main = next(
            (
                sigel
                for sigel, name in libraries
                if any(word in name.casefold() for word in MAIN_LIBRARY_WORDS)
            ),
            libraries[0][0],
        )
        for sigel, _name in libraries:
            if sigel != main:
                rows.kb_libraries[sigel]["kind"] = LibraryKind.BRANCH
