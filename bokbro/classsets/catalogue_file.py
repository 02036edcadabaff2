"""The catalogue as a file: import and export of titles and their sets, CSV or XLSX, in one
format both ways (one row per title):

    isbn, title, author, publisher, year, language, easy_to_read, audiobook, ebook, grades,
    themes, summary, sets

`language` is a code (nb, nn, sv, en, se, other); the three flags are yes/no (ja/nei, 1/0, x
also read); `grades` the band codes (1-3 4-5 6-7 8-10 vg) separated by spaces or commas;
`themes` names separated by `;` (a theme the agency lacks is added); `sets` the copies of each
set separated by `;`, each with `@ library` when a main library keeps it (`30; 24 @ Halden
bibliotek`).

A file is read and checked whole first; any bad line rejects it with every problem by line and
column, and nothing is saved. A good file is saved in one transaction through the same services
as the staff forms, keyed by ISBN: a title that is already as the file says is not touched, so
importing the same file again changes nothing. Sets are matched in order (the first set of the
file is the title's first set); a set the file leaves out is kept, and a set is never shrunk
below what bookings hold (`services.class_set_save` checks it under the title's lock).

Size: one file format, read top to bottom.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from bokbro.classsets import services
from bokbro.classsets.forms import delivery_libraries_of
from bokbro.classsets.models import ClassSet, GradeBand, Language, Theme, Title
from bokbro.core.audit import audit_log
from bokbro.core.exports import FORMULA_START, Sheet, csv_response, xlsx_response
from bokbro.core.isbn import normalise_isbn
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Library

COLUMNS = [
    "isbn",
    "title",
    "author",
    "publisher",
    "year",
    "language",
    "easy_to_read",
    "audiobook",
    "ebook",
    "grades",
    "themes",
    "summary",
    "sets",
]
MAX_ROWS = 5000
YES = {"yes", "ja", "j", "y", "1", "x", "true", "sant"}
NO = {"", "no", "nei", "nej", "n", "0", "false", "usant"}
LENGTHS = {"title": 300, "author": 200, "publisher": 200, "summary": 2000}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)s, %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SetRow:
    copies: int
    library: Library | None


@dataclass
class Row:
    line: int
    data: services.TitleData  # themes empty: they are named in `themes` and found at save
    themes: tuple[str, ...]
    sets: list[SetRow]


@dataclass
class Result:
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    @property
    def changed_anything(self) -> bool:
        return bool(self.created)


# --- Reading ------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value).strip()
    # What the export wrote as text so a spreadsheet would not run it (core.exports.safe).
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        text = text[1:]
    return text


def _csv_records(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [Problem(1, "", _("The file is not UTF-8 text. Save it as CSV UTF-8."))]
        ) from error
    first = text.split("\n", 1)[0]
    # Excel in Norway and Sweden saves CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_records(content: bytes) -> list[list[Any]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException) as error:
        raise ImportFailed([Problem(1, "", _("This is not a readable XLSX file."))]) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # type: ignore[union-attr]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def records(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, column → text), by its name's ending (.csv or .xlsx)."""
    raw = _xlsx_records(content) if name.lower().endswith(".xlsx") else _csv_records(content)
    if not raw:
        raise ImportFailed([Problem(1, "", _("The file is empty."))])
    header = [_cell(h).lower() for h in raw[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed(
            [Problem(1, ", ".join(missing), _("These columns are missing from the header."))]
        )
    found = []
    for line, values in enumerate(raw[1:], start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        found.append((line, dict(zip(header, cells, strict=False))))
    return found


# Size: one row's columns checked in order; each check is a few lines.
def _row(
    line: int,
    values: dict[str, str],
    libraries: dict[str, list[Library]],
    problems: list[Problem],
) -> Row | None:
    before = len(problems)

    def bad(column: str, message: Any) -> None:
        problems.append(Problem(line, column, str(message)))

    v = {c: values.get(c, "") for c in COLUMNS}
    isbn = ""
    if not v["isbn"]:
        bad("isbn", _("This field is empty."))
    else:
        try:
            isbn = normalise_isbn(v["isbn"])
        except ValidationError as error:
            bad("isbn", error.messages[0])
    if not v["title"]:
        bad("title", _("This field is empty."))
    for column, limit in LENGTHS.items():
        if len(v[column]) > limit:
            bad(column, _("At most %(n)s characters.") % {"n": limit})
    year = None
    if v["year"]:
        if not v["year"].isdigit() or not 1800 <= int(v["year"]) <= 2100:
            bad("year", _("A year from 1800 to 2100."))
        else:
            year = int(v["year"])
    language = v["language"].lower() or Language.NB
    if language not in Language.values:
        bad("language", _("A language code: %(codes)s.") % {"codes": ", ".join(Language.values)})
    flags = {}
    for column in ("easy_to_read", "audiobook", "ebook"):
        word = v[column].lower()
        if word not in YES | NO:
            bad(column, _("Yes or no."))
        flags[column] = word in YES
    grades = [g for g in v["grades"].replace(",", " ").replace("–", "-").lower().split() if g]
    unknown = [g for g in grades if g not in GradeBand.values]
    if unknown:
        bad(
            "grades",
            _("Unknown grades “%(grades)s”; the codes are %(codes)s.")
            % {"grades": " ".join(unknown), "codes": " ".join(GradeBand.values)},
        )
    themes = tuple(dict.fromkeys(t.strip() for t in v["themes"].split(";") if t.strip()))
    if any(len(t) > 80 for t in themes):
        bad("themes", _("A theme's name has at most 80 characters."))
    sets = _sets(v["sets"], libraries, lambda message: bad("sets", message))
    if len(problems) > before:
        return None
    data = services.TitleData(
        isbn=isbn,
        title=v["title"],
        author=v["author"],
        publisher=v["publisher"],
        year=year,
        language=language,
        easy_to_read=flags["easy_to_read"],
        has_audiobook=flags["audiobook"],
        has_ebook=flags["ebook"],
        grade_bands=tuple(g for g in GradeBand.values if g in grades),
        summary=v["summary"],
    )
    return Row(line=line, data=data, themes=themes, sets=sets)


def _sets(text: str, libraries: dict[str, list[Library]], bad: Any) -> list[SetRow]:
    sets = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        copies, _at, where = (s.strip() for s in part.partition("@"))
        if not copies.isdigit() or not 1 <= int(copies) <= 200:
            bad(_("“%(set)s”: a set has 1 to 200 copies.") % {"set": part})
            continue
        library = None
        if where:
            matches = libraries.get(where.lower(), [])
            if len(matches) != 1:
                bad(
                    _("“%(library)s” is not a main library of our region.") % {"library": where}
                    if not matches
                    else _("Two libraries are called “%(library)s”.") % {"library": where}
                )
                continue
            library = matches[0]
        sets.append(SetRow(int(copies), library))
    return sets


def read(agency: Agency, name: str, content: bytes) -> list[Row]:
    """Every row of the file, or ImportFailed with every problem by line and column."""
    found = records(name, content)
    if len(found) > MAX_ROWS:
        raise ImportFailed([Problem(MAX_ROWS + 2, "", _("A file has at most 5000 rows."))])
    if not found:
        raise ImportFailed([Problem(2, "", _("The file has no rows."))])
    libraries: dict[str, list[Library]] = {}
    for library in delivery_libraries_of(agency):
        libraries.setdefault(library.name.lower(), []).append(library)
    problems: list[Problem] = []
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, values in found:
        row = _row(line, values, libraries, problems)
        if row is None:
            continue
        if row.data.isbn in seen:
            problems.append(
                Problem(
                    line,
                    "isbn",
                    _("The same ISBN is on line %(line)s.") % {"line": seen[row.data.isbn]},
                )
            )
            continue
        seen[row.data.isbn] = line
        rows.append(row)
    if problems:
        raise ImportFailed(problems)
    return rows


# --- Saving -------------------------------------------------------------------------------------


TITLE_FIELDS = (
    "title", "author", "publisher", "year", "language", "easy_to_read", "has_audiobook",
    "has_ebook", "summary",
)  # fmt: skip


def _same(title: Title, data: services.TitleData, themes: set[str]) -> bool:
    return (
        all(getattr(title, name) == getattr(data, name) for name in TITLE_FIELDS)
        and title.grade_bands == " ".join(data.grade_bands)
        and {t.name for t in title.themes.all()} == themes
    )


def _save_sets(
    actor: Actor | None, agency: Agency, title: Title, row: Row, result: Result
) -> list[Problem]:
    existing = list(title.sets.all()) if title.pk else []
    problems = []
    for index, wanted in enumerate(row.sets):
        current: ClassSet | None = existing[index] if index < len(existing) else None
        if current is not None and (
            current.copies == wanted.copies
            and current.home_library_id == getattr(wanted.library, "pk", None)
        ):
            continue
        try:
            services.class_set_save(
                actor=actor,
                agency=agency,
                title=title,
                copies=wanted.copies,
                home_library=wanted.library,
                condition_note=current.condition_note if current else "",
                class_set=current,
            )
        except ValidationError as error:
            problems += [Problem(row.line, "sets", m) for m in error.messages]
        else:
            result.add("sets changed" if current else "sets added")
    return problems


@transaction.atomic
def save(*, actor: Actor | None, agency: Agency, rows: Iterable[Row]) -> Result:
    """Save the checked rows in one transaction; ImportFailed (and nothing saved) if a service
    refuses one, e.g. a set smaller than its bookings."""
    rows = list(rows)
    result = Result(rows=len(rows))
    themes = {t.name.lower(): t for t in Theme.objects.filter(agency=agency)}
    for name in dict.fromkeys(n for row in rows for n in row.themes):
        if name.lower() not in themes:
            themes[name.lower()] = services.theme_create(actor=actor, agency=agency, name=name)
            result.add("themes")
    titles = {
        t.isbn: t for t in Title.objects.filter(agency=agency).prefetch_related("themes", "sets")
    }
    problems: list[Problem] = []
    for row in rows:
        data = replace(row.data, themes=tuple(themes[n.lower()] for n in row.themes))
        title = titles.get(data.isbn)
        try:
            if title is None:
                title = services.title_create(actor=actor, agency=agency, data=data)
                result.add("titles")
            elif not _same(title, data, {themes[n.lower()].name for n in row.themes}):
                title = services.title_update(actor=actor, agency=agency, title=title, data=data)
                result.add("titles changed")
        except ValidationError as error:
            problems += [Problem(row.line, "", m) for m in error.messages]
            continue
        problems += _save_sets(actor, agency, title, row, result)
    if problems:
        transaction.set_rollback(True)
        raise ImportFailed(problems)
    if result.changed_anything:
        audit_log(
            action="classsets.catalogue.imported",
            actor=actor,
            agency=agency,
            data={"rows": result.rows, **result.created},
        )
    return result


def import_file(*, actor: Actor | None, agency: Agency, name: str, content: bytes) -> Result:
    """Read and check the whole file, then save it; ImportFailed and nothing saved if any line
    is bad."""
    return save(actor=actor, agency=agency, rows=read(agency, name, content))


# --- Export -------------------------------------------------------------------------------------


def export_rows(agency: Agency) -> list[list[Any]]:
    titles = (
        Title.objects.filter(agency=agency)
        .prefetch_related("themes", "sets__home_library")
        .order_by("title", "pk")
    )
    rows = []
    for title in titles:
        sets = "; ".join(
            f"{s.copies} @ {s.home_library.name}" if s.home_library else str(s.copies)
            for s in title.sets.all()
        )
        rows.append(
            [
                title.isbn,
                title.title,
                title.author,
                title.publisher,
                title.year,
                title.language,
                "yes" if title.easy_to_read else "no",
                "yes" if title.has_audiobook else "no",
                "yes" if title.has_ebook else "no",
                title.grade_bands,
                "; ".join(t.name for t in title.themes.all()),
                title.summary,
                sets,
            ]
        )
    return rows


def export_response(agency: Agency, kind: str) -> HttpResponse:
    rows = export_rows(agency)
    if kind == "xlsx":
        return xlsx_response(
            [Sheet(title="class-sets", header=COLUMNS, rows=rows)], "class-sets.xlsx"
        )
    return csv_response(COLUMNS, rows, "class-sets.csv")
