"""The national directory import: counties, municipalities, SSB's change table and libraries.

It reads the open data in `bokbro/directory/data/` (its README says where each file comes from)
in two steps. First every file is read and checked into plain rows; the first problem raises one
`DirectoryImportError` that names the file, the line and the field, and nothing is written. Then
everything is written in one transaction, as upserts on the natural keys (country and code,
sigel, …), so a second run changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from openpyxl.utils.exceptions import InvalidFileException

from bokbro.core.audit import audit_log
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

BATCH_SIZE = 500

Key = tuple[Any, ...]
ModelT = TypeVar("ModelT", bound=models.Model)


class DirectoryImportError(Exception):
    """A data file cannot be imported; the message names the file, line and field."""


# --- The report ---------------------------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Report:
    counties: Counts = field(default_factory=Counts)
    municipalities: Counts = field(default_factory=Counts)
    municipality_changes: Counts = field(default_factory=Counts)
    kb_libraries: Counts = field(default_factory=Counts)
    derived_libraries: Counts = field(default_factory=Counts)

    LABELS = {
        "counties": "Counties",
        "municipalities": "Municipalities",
        "municipality_changes": "Municipality changes",
        "kb_libraries": "Libraries (KB 2014)",
        "derived_libraries": "Libraries (derived)",
    }

    def counts(self) -> list[tuple[str, Counts]]:
        return [(label, getattr(self, name)) for name, label in self.LABELS.items()]

    def lines(self) -> list[str]:
        return [
            f"{label}: {c.created} created, {c.updated} updated, {c.unchanged} unchanged"
            for label, c in self.counts()
        ]

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for _label, c in self.counts())


# --- Reading and checking ----------------------------------------------------------------------


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr,return-value]


_URL = URLValidator(schemes=["http", "https"])
_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+")
_POSTCODE = re.compile(r"(\d{3}) ?(\d{2})")


@dataclass
class Record:
    """One object, row or line of a data file, and where it is, for error messages."""

    file: str
    line: int
    values: Mapping[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)
    row_word: str = "line"

    def error(self, name: str, message: str) -> DirectoryImportError:
        line = self.field_lines.get(name, self.line)
        return DirectoryImportError(f"{self.file}, {self.row_word} {line}, field {name}: {message}")

    def text(self, name: str, *, max_length: int, required: bool = False) -> str:
        value = self.values.get(name)
        if value is None:
            value = ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(name, f"{_show(value)} is not text")
        text = " ".join(str(value).split())
        if required and not text:
            raise self.error(name, "is empty")
        if len(text) > max_length:
            raise self.error(name, f"{_show(text)} is longer than {max_length} characters")
        return text

    def code(self, name: str, digits: int) -> str:
        value = self.values.get(name)
        # A spreadsheet that someone has saved may have turned "0114" into the number 114.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value).zfill(digits)
        if not isinstance(value, str) or not re.fullmatch(rf"\d{{{digits}}}", value.strip()):
            raise self.error(name, f"{_show(value)} is not a {digits}-digit code")
        return value.strip()

    def whole_number(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            value = int(re.sub(r"\D", "", value))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.error(name, f"{_show(value)} is not a whole number")
        return value

    def iso_date(self, name: str) -> date:
        value = self.values.get(name)
        try:
            return date.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.error(name, f"{_show(value)} is not a date (YYYY-MM-DD)") from None

    def url(self, name: str, *, max_length: int) -> str:
        text = self.text(name, max_length=max_length)
        if not text:
            return ""
        url = text if re.match(r"https?://", text, re.IGNORECASE) else f"https://{text}"
        try:
            _URL(url)
        except ValidationError:
            raise self.error(name, f"{_show(text)} is not a web address") from None
        if len(url) > max_length:
            raise self.error(name, f"{_show(url)} is longer than {max_length} characters")
        return url

    def choice(self, name: str, choices: Mapping[str, str]) -> str:
        text = self.text(name, max_length=100)
        if text and text not in choices:
            raise self.error(name, f"{_show(text)} is not one of {', '.join(choices)}")
        return choices.get(text, "")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DirectoryImportError(f"{path.name}: file not found ({path})") from None
    except UnicodeDecodeError as exc:
        raise DirectoryImportError(f"{path.name}: not UTF-8 text ({exc})") from None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_records(path: Path) -> list[Record]:
    """The objects of a JSON array, each with the line it starts on and the lines of its keys."""
    text = _read_text(path)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DirectoryImportError(
            f"{path.name}, line {exc.lineno}: not valid JSON ({exc.msg})"
        ) from None
    if not isinstance(items, list):
        raise DirectoryImportError(f"{path.name}, line 1: not a JSON array")
    decoder = json.JSONDecoder()
    records = []
    line, counted = 1, 0
    # The text is valid JSON, so after "[" come the items separated by "," and then "]".
    position = _JSON_SPACE.match(text).end() + 1  # type: ignore[union-attr]
    for item in items:
        start = _JSON_SPACE.match(text, position).end()  # type: ignore[union-attr]
        line += text.count("\n", counted, start)
        counted = start
        _, end = decoder.raw_decode(text, start)
        if not isinstance(item, dict):
            raise DirectoryImportError(f"{path.name}, line {line}: not a JSON object")
        field_lines = {}
        for key in item:
            quoted = re.escape(json.dumps(key, ensure_ascii=False))
            match = re.compile(rf"{quoted}\s*:").search(text, start, end)
            if match:
                field_lines[key] = line + text.count("\n", start, match.start())
        records.append(Record(path.name, line, item, field_lines))
        position = _JSON_SPACE.match(text, end).end() + 1  # type: ignore[union-attr]
    return records


def _csv_records(path: Path, columns: Iterable[str]) -> list[Record]:
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    try:
        missing = [name for name in columns if name not in (reader.fieldnames or [])]
        if missing:
            raise DirectoryImportError(f"{path.name}, line 1: missing column {', '.join(missing)}")
        records = []
        for row in reader:
            if None in row or None in row.values():
                raise DirectoryImportError(
                    f"{path.name}, line {reader.line_num}: expected {len(reader.fieldnames or [])}"
                    " fields"
                )
            records.append(Record(path.name, reader.line_num, row))
    except csv.Error as exc:
        raise DirectoryImportError(f"{path.name}, line {reader.line_num}: {exc}") from None
    return records


def _xlsx_records(path: Path, sheet: str, columns: Iterable[str]) -> list[Record]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DirectoryImportError(f"{path.name}: file not found ({path})") from None
    except (OSError, KeyError, zipfile.BadZipFile, InvalidFileException) as exc:
        raise DirectoryImportError(f"{path.name}: not a readable Excel file ({exc})") from None
    try:
        if sheet not in workbook.sheetnames:
            raise DirectoryImportError(f"{path.name}: no sheet named {sheet!r}")
        worksheet = workbook[sheet]
        # The stored dimensions may be stale, and read-only mode would stop at them.
        worksheet.reset_dimensions()  # type: ignore[union-attr]
        rows = worksheet.iter_rows(values_only=True)
        header = [str(value).strip() if value is not None else "" for value in next(rows, ())]
        missing = [name for name in columns if name not in header]
        if missing:
            raise DirectoryImportError(
                f"{path.name}, sheet {sheet}, row 1: missing column {', '.join(missing)}"
            )
        records = []
        # Read-only sheets yield empty rows for gaps too, so counting gives the sheet's row number.
        for number, row in enumerate(rows, start=2):
            if all(value is None or str(value).strip() == "" for value in row):
                continue
            values = dict(zip(header, row, strict=False))
            records.append(Record(path.name, number, values, row_word=f"sheet {sheet}, row"))
        return records
    finally:
        workbook.close()


def _unique(seen: dict[Key, int], key: Key, record: Record, name: str) -> None:
    if key in seen:
        raise record.error(
            name, f"{_show(key[-1])} appears twice (first on {record.row_word} {seen[key]})"
        )
    seen[key] = record.line


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
    name_length = _max_length(County, "name")
    seen: dict[Key, int] = {}
    for record in _json_records(data_dir / NO_COUNTIES):
        code = record.code("f_id", 2)
        _unique(seen, (code,), record, "f_id")
        rows.counties[(Country.NORWAY, code)] = {
            "country": Country.NORWAY,
            "code": code,
            "name": record.text("f_name", max_length=name_length, required=True),
            "website": record.url("f_url", max_length=_max_length(County, "website")),
        }

    name_length = _max_length(Municipality, "name")
    seen = {}
    for record in _json_records(data_dir / NO_MUNICIPALITIES):
        code = record.code("k_id", 4)
        _unique(seen, (code,), record, "k_id")
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
                "k_adm_center", max_length=_max_length(Municipality, "admin_centre")
            ),
            "written_language": record.choice("k_language", WRITTEN_LANGUAGES),
            "website": record.url("k_url", max_length=_max_length(Municipality, "website")),
        }
        rows.derived_libraries[(Country.NORWAY, code)] = {
            "name": f"{name} bibliotek",
            "kind": LibraryKind.MAIN,
            "municipality": (Country.NORWAY, code),
            "source": DERIVED_SOURCE,
            "is_derived": True,
        }

    name_length = _max_length(MunicipalityChange, "old_name")
    seen = {}
    columns = ("oldCode", "oldName", "newCode", "newName", "changeOccurred")
    for record in _csv_records(data_dir / NO_CHANGES, columns):
        old_code, new_code = record.code("oldCode", 4), record.code("newCode", 4)
        changed_on = record.iso_date("changeOccurred")
        key = (Country.NORWAY, old_code, new_code, changed_on)
        _unique(seen, key, record, "changeOccurred")
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
    for record in _csv_records(data_dir / SE_COUNTIES, ("county_code", "county_name")):
        code = record.code("county_code", 2)
        _unique(seen, (code,), record, "county_code")
        rows.counties[(Country.SWEDEN, code)] = {
            "country": Country.SWEDEN,
            "code": code,
            "name": record.text(
                "county_name", max_length=_max_length(County, "name"), required=True
            ),
        }

    name_length = _max_length(Municipality, "name")
    official: dict[str, tuple[str, int | None]] = {}
    seen = {}
    for record in _csv_records(data_dir / SE_OFFICIAL_NAMES, ("Kod", "Kommun", "Folkmängd")):
        code = record.code("Kod", 4)
        _unique(seen, (code,), record, "Kod")
        official[code] = (
            record.text("Kommun", max_length=name_length, required=True),
            record.whole_number("Folkmängd"),
        )

    seen = {}
    columns = ("municipality_code", "municipality_name", "municipality_name_short", "county_code")
    for record in _csv_records(data_dir / SE_MUNICIPALITIES, columns):
        code = record.code("municipality_code", 4)
        _unique(seen, (code,), record, "municipality_code")
        county_code = record.code("county_code", 2)
        if county_code != code[:2] or (Country.SWEDEN, county_code) not in rows.counties:
            raise record.error(
                "county_code",
                f"{_show(county_code)} is not a county in {Path(SE_COUNTIES).name} or does not"
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
    records = _xlsx_records(data_dir / SE_LIBRARIES, SE_LIBRARIES_SHEET, columns)
    public_libraries: dict[Key, list[tuple[str, str]]] = {}
    seen: dict[Key, int] = {}
    for record in records:
        sigel = record.text("Sigel", max_length=_max_length(Library, "sigel"), required=True)
        _unique(seen, (sigel,), record, "Sigel")
        name = record.text("Bibliotek", max_length=_max_length(Library, "name"), required=True)
        place = record.code("Kommunkod", 4)
        municipality: Key | None = (Country.SWEDEN, place)
        county: Key | None = None
        if municipality not in rows.municipalities:
            # "LL00": a library run for the whole county (län), such as its hospital libraries.
            county, municipality = (Country.SWEDEN, place[:2]), None
            if not place.endswith("00") or county not in rows.counties:
                raise record.error(
                    "Kommunkod", f"{_show(place)} is neither a municipality nor a county (LL00)"
                )
        library_type = record.text("Bibliotekstyp", max_length=40, required=True)
        if library_type == KB_PUBLIC_LIBRARY and municipality is not None:
            public_libraries.setdefault(municipality, []).append((sigel, name))
        postcode = record.text("Postnr", max_length=20)
        if postcode:
            match = _POSTCODE.fullmatch(postcode)
            if not match:
                raise record.error("Postnr", f"{_show(postcode)} is not a Swedish postcode")
            postcode = f"{match[1]} {match[2]}"
        rows.kb_libraries[sigel] = {
            "sigel": sigel,
            "name": name,
            "kind": KB_KINDS.get(library_type, LibraryKind.OTHER),
            "municipality": municipality,
            "county": county,
            "street_address": record.text(
                "Adress", max_length=_max_length(Library, "street_address")
            ),
            "postcode": postcode,
            "city": record.text("Ort", max_length=_max_length(Library, "city")),
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


# --- Writing -----------------------------------------------------------------------------------


def _upsert(
    model: type[ModelT],
    existing: Mapping[Any, ModelT],
    wanted: Mapping[Any, dict[str, Any]],
    *,
    touch: bool = False,
) -> Counts:
    """Create the wanted rows that are missing and update those that differ, in bulk.

    Only the fields in `wanted` are compared and written: what the files do not carry (a Swedish
    municipality's website, a library's e-mail address) is left as people entered it."""
    counts = Counts()
    new: list[ModelT] = []
    changed: list[ModelT] = []
    changed_fields: set[str] = set()
    for key, values in wanted.items():
        instance = existing.get(key)
        if instance is None:
            new.append(model(**values))
            continue
        differences = [name for name, value in values.items() if getattr(instance, name) != value]
        if not differences:
            counts.unchanged += 1
            continue
        for name in differences:
            setattr(instance, name, values[name])
        changed.append(instance)
        changed_fields.update(differences)
    if touch and changed:
        # bulk_update() skips auto_now.
        now = timezone.now()
        for instance in changed:
            instance.updated_at = now  # type: ignore[attr-defined]
        changed_fields.add("updated_at")
    model._default_manager.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model._default_manager.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE)
    counts.created, counts.updated = len(new), len(changed)
    return counts


def _with_ids(values: dict[str, Any], ids: Mapping[str, Mapping[Key, int]]) -> dict[str, Any]:
    """Replace natural-key foreign keys ("county": ("NO", "46")) by ids ("county_id": 12)."""
    result = dict(values)
    for name, id_map in ids.items():
        if name in result:
            key = result.pop(name)
            result[f"{name}_id"] = id_map[key] if key is not None else None
    return result


def write_directory(rows: Rows) -> Report:
    """Upsert the checked rows; call inside a transaction."""
    report = Report()
    report.counties = _upsert(
        County, {(c.country, c.code): c for c in County.objects.all()}, rows.counties
    )
    county_ids = {
        (country, code): pk
        for country, code, pk in County.objects.values_list("country", "code", "pk")
    }

    report.municipalities = _upsert(
        Municipality,
        {(m.country, m.code): m for m in Municipality.objects.all()},
        {
            key: _with_ids(values, {"county": county_ids})
            for key, values in rows.municipalities.items()
        },
    )
    municipality_ids = {
        (country, code): pk
        for country, code, pk in Municipality.objects.values_list("country", "code", "pk")
    }

    report.municipality_changes = _upsert(
        MunicipalityChange,
        {
            (c.country, c.old_code, c.new_code, c.changed_on): c
            for c in MunicipalityChange.objects.all()
        },
        rows.municipality_changes,
    )

    ids = {"county": county_ids, "municipality": municipality_ids}
    report.kb_libraries = _upsert(
        Library,
        {library.sigel: library for library in Library.objects.exclude(sigel="")},
        {sigel: _with_ids(values, ids) for sigel, values in rows.kb_libraries.items()},
        touch=True,
    )

    derived = {}
    for values in rows.derived_libraries.values():
        with_ids = _with_ids(values, ids)
        derived[with_ids["municipality_id"]] = with_ids
    existing: dict[int | None, Library] = {}
    for library in Library.objects.filter(source=DERIVED_SOURCE).order_by("-pk"):
        existing[library.municipality_id] = library
    # A person has corrected these (services.library_update clears is_derived); they are theirs.
    corrected = {key for key, library in existing.items() if not library.is_derived}
    report.derived_libraries = _upsert(
        Library,
        existing,
        {key: values for key, values in derived.items() if key not in corrected},
        touch=True,
    )
    report.derived_libraries.unchanged += len(corrected & derived.keys())
    return report


def import_directory(data_dir: Path | None = None) -> Report:
    """Read every directory file, then write them all in one transaction (or nothing)."""
    rows = read_directory(Path(data_dir or settings.BOKBRO_DIRECTORY_DATA))
    with transaction.atomic():
        report = write_directory(rows)
        if report.changed:
            audit_log(
                action="directory.import.completed",
                data={name: asdict(getattr(report, name)) for name in Report.LABELS},
            )
    return report
