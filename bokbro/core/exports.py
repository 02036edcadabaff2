"""Lists as spreadsheets: CSV and XLSX downloads made the same way in every module.

- Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) is kept as
  text: a leading apostrophe in CSV, a text cell in XLSX (CSV injection).
- CSV starts with a byte order mark, so Excel reads it as UTF-8; dates as `2026-12-02`, times as
  `2026-12-02 14:30`.
- XLSX cells keep their types: dates and times formatted as such, decimals with two places, a
  bold header row frozen at the top, columns as wide as their content (within limits).
- Downloads carry `Cache-Control: private, no-store`: they usually hold personal data.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: not to be kept by a browser's or a proxy's cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe(value)


def csv_response(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # the byte order mark makes Excel read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([safe(str(title)) for title in header])  # headers can be users' words too
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return attachment(out.getvalue(), "text/csv; charset=utf-8", filename)


@dataclass
class Sheet:
    title: Any
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    bold_last_row: bool = False  # a totals row
    formats: dict[int, str] = field(default_factory=dict)  # column (1-based) → number format


def _fill(worksheet: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font

    worksheet.title = str(sheet.title)[:31]
    # Every cell, the header row too (a survey's question labels become headers), by one rule:
    # text that looks like a formula stays text.
    worksheet.append([str(title) for title in sheet.header])
    for cell in worksheet[1]:
        if cell.data_type == "f":
            cell.data_type = "s"
    for row in sheet.rows:
        worksheet.append(list(row))
        for cell in worksheet[worksheet.max_row]:
            value = cell.value
            if cell.data_type == "f":
                cell.data_type = "s"
            elif cell.column in sheet.formats:
                cell.number_format = sheet.formats[cell.column]
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, Decimal | float):
                cell.number_format = "#,##0.00"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    bold = [*worksheet[1]]
    if sheet.bold_last_row and worksheet.max_row > 1:
        bold += [*worksheet[worksheet.max_row]]
    for cell in bold:
        cell.font = Font(bold=True)
    worksheet.freeze_panes = "A2"
    for column in worksheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        worksheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def xlsx_response(sheets: Sequence[Sheet], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    for index, sheet in enumerate(sheets):
        _fill(workbook.active if index == 0 else workbook.create_sheet(), sheet)
    out = io.BytesIO()
    workbook.save(out)
    return attachment(out.getvalue(), XLSX_TYPE, filename)
