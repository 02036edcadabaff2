"""Spreadsheet downloads: typed cells, formulas kept as text, never cached."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from bokbro.core import exports

ROWS: list[list[Any]] = [
    ['=HYPERLINK("http://evil")', date(2026, 12, 2), datetime(2026, 12, 2, 14, 30), Decimal("1.5")],
    ["Kari", None, None, Decimal("12000")],
]


def test_csv_keeps_formulas_as_text_and_writes_dates_plainly():
    response = exports.csv_response(["Navn", "Dato", "Tid", "Beløp"], ROWS, "liste.csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffNavn,Dato,Tid,Beløp")
    assert "'=HYPERLINK" in body
    assert "2026-12-02,2026-12-02 14:30,1.5" in body
    assert "Kari,,,12000" in body
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    assert response["Cache-Control"] == "private, no-store"


def test_xlsx_cells_keep_their_types_and_formulas_stay_text():
    sheets = [
        exports.Sheet("Deltakere", ["Navn", "Dato", "Tid", "Beløp"], ROWS, bold_last_row=True),
        exports.Sheet("Per betaler", ["Hvem", "Sum"], [["Kommunen", Decimal("3")]]),
    ]
    response = exports.xlsx_response(sheets, "liste.xlsx")
    assert response["Content-Type"] == exports.XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Deltakere", "Per betaler"]
    sheet = book["Deltakere"]
    formula, day, moment, amount = sheet[2]
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK")
    assert day.number_format == "yyyy-mm-dd"
    assert moment.number_format == "yyyy-mm-dd hh:mm"
    assert amount.value == 1.5 and amount.number_format == "#,##0.00"
    assert sheet["A1"].font.bold and sheet["A3"].font.bold  # header and totals row
    assert not book["Per betaler"]["A2"].font.bold
    assert sheet.freeze_panes == "A2"


HEADER = ["Navn", '=HYPERLINK("http://evil","Klikk")', "@SUM(A1)"]


def test_csv_headers_that_look_like_formulas_stay_text():
    body = exports.csv_response(HEADER, [["Kari", 1, 2]], "svar.csv").content.decode("utf-8")
    first_line = body.splitlines()[0]
    assert first_line == '\ufeffNavn,"\'=HYPERLINK(""http://evil"",""Klikk"")",\'@SUM(A1)'


def test_xlsx_headers_that_look_like_formulas_stay_text():
    response = exports.xlsx_response([exports.Sheet("Svar", HEADER, [["Kari", 1, 2]])], "svar.xlsx")
    header = load_workbook(io.BytesIO(response.content))["Svar"][1]
    assert [cell.data_type for cell in header] == ["s", "s", "s"]
    assert header[1].value == '=HYPERLINK("http://evil","Klikk")'
