"""Reading and checking the data files: each JSON object, CSV line or spreadsheet row becomes a
`Record`, whose typed getters raise one `DirectoryImportError` naming the file, line and field."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from openpyxl.utils.exceptions import InvalidFileException

Key = tuple[Any, ...]


class DirectoryImportError(Exception):
    """A data file cannot be imported; the message names the file, line and field."""


def show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr,return-value]


_URL = URLValidator(schemes=["http", "https"])
_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+")


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
            raise self.error(name, f"{show(value)} is not text")
        text = " ".join(str(value).split())
        if required and not text:
            raise self.error(name, "is empty")
        if len(text) > max_length:
            raise self.error(name, f"{show(text)} is longer than {max_length} characters")
        return text

    def code(self, name: str, digits: int) -> str:
        value = self.values.get(name)
        # A spreadsheet that someone has saved may have turned "0114" into the number 114.
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value).zfill(digits)
        if not isinstance(value, str) or not re.fullmatch(rf"\d{{{digits}}}", value.strip()):
            raise self.error(name, f"{show(value)} is not a {digits}-digit code")
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
            raise self.error(name, f"{show(value)} is not a whole number")
        return value

    def iso_date(self, name: str) -> date:
        value = self.values.get(name)
        try:
            return date.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.error(name, f"{show(value)} is not a date (YYYY-MM-DD)") from None

    def url(self, name: str, *, max_length: int) -> str:
        text = self.text(name, max_length=max_length)
        if not text:
            return ""
        url = text if re.match(r"https?://", text, re.IGNORECASE) else f"https://{text}"
        try:
            _URL(url)
        except ValidationError:
            raise self.error(name, f"{show(text)} is not a web address") from None
        if len(url) > max_length:
            raise self.error(name, f"{show(url)} is longer than {max_length} characters")
        return url

    def choice(self, name: str, choices: Mapping[str, str]) -> str:
        text = self.text(name, max_length=100)
        if text and text not in choices:
            raise self.error(name, f"{show(text)} is not one of {', '.join(choices)}")
        return choices.get(text, "")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DirectoryImportError(f"{path.name}: file not found ({path})") from None
    except UnicodeDecodeError as exc:
        raise DirectoryImportError(f"{path.name}: not UTF-8 text ({exc})") from None


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_records(path: Path) -> list[Record]:
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


def csv_records(path: Path, columns: Iterable[str]) -> list[Record]:
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


def xlsx_records(path: Path, sheet: str, columns: Iterable[str]) -> list[Record]:
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


def unique(seen: dict[Key, int], key: Key, record: Record, name: str) -> None:
    if key in seen:
        raise record.error(
            name, f"{show(key[-1])} appears twice (first on {record.row_word} {seen[key]})"
        )
    seen[key] = record.line
