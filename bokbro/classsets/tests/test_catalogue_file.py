"""The catalogue as a CSV or XLSX file: the export reads back in unchanged, a new file adds
titles, sets and themes, a bad file is refused whole with each problem by line and column, a
set is never shrunk below its bookings, and the upload page and the command do the same."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from bokbro.classsets import catalogue_file
from bokbro.classsets.models import ClassSet, Theme, Title
from bokbro.classsets.tests.access import database_state
from bokbro.classsets.tests.conftest import book, make_title
from bokbro.core.models import AuditEntry

HEADER = ",".join(catalogue_file.COLUMNS)
GOOD = (
    HEADER + "\n"
    "978-82-02-39997-9,Ny bok,Forfatter,Cappelen,2020,nb,yes,no,ja,6-7 8-10,Vennskap; Klima,"
    '"Om vennskap.",30; 24 @ Fredrikstad bibliotek\n'
    "9789129657654,Lätta boken,Någon,,,sv,x,,,1-3,Klima,,12\n"
)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def import_csv(world: Any, text: str) -> catalogue_file.Result:
    return catalogue_file.import_file(
        actor=world.consultant, agency=world.agency, name="katalog.csv", content=csv_bytes(text)
    )


def test_a_new_file_adds_titles_sets_and_themes(world: Any) -> None:
    result = import_csv(world, GOOD)
    assert result.created == {"themes": 2, "titles": 2, "sets added": 3}
    new = Title.objects.get(isbn="9788202399979")
    assert (new.title, new.publisher, new.year, new.language) == ("Ny bok", "Cappelen", 2020, "nb")
    assert (new.easy_to_read, new.has_audiobook, new.has_ebook) == (True, False, True)
    assert new.grade_list == ["6-7", "8-10"]
    assert sorted(t.name for t in new.themes.all()) == ["Klima", "Vennskap"]
    assert [(s.copies, s.home_library) for s in new.sets.all()] == [
        (30, None),
        (24, world.library),
    ]
    assert Title.objects.get(isbn="9789129657654").copies_owned() == 12


def test_importing_the_same_file_twice_changes_nothing(world: Any) -> None:
    import_csv(world, GOOD)
    before = database_state()
    audit = AuditEntry.objects.count()
    result = import_csv(world, GOOD)
    assert result.created == {}
    assert database_state() == before
    assert AuditEntry.objects.count() == audit


def test_the_export_reads_back_in_unchanged_as_csv_and_xlsx(world: Any, client_for: Any) -> None:
    title = make_title(world, copies=[30, 10], grade_bands=("4-5",), summary="=SUM(A1) is text")
    title.themes.add(Theme.objects.create(agency=world.agency, name="Humor"))
    ClassSet.objects.filter(copies=10).update(home_library=world.library)
    client = client_for(world.consultant)
    before = database_state()
    for kind, name in (("csv", "x.csv"), ("xlsx", "x.xlsx")):
        download = client.get(f"/class-sets/staff/titles/export/?format={kind}")
        assert download.status_code == 200
        result = catalogue_file.import_file(
            actor=world.consultant, agency=world.agency, name=name, content=download.content
        )
        assert result.created == {}, kind
        assert database_state() == before
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == catalogue_file.COLUMNS
    assert rows[1][-1] == "30; 10 @ Fredrikstad bibliotek"
    assert rows[1][-2] == "=SUM(A1) is text"  # stored as text, never run as a formula


def test_a_changed_row_changes_the_title_and_its_set(world: Any) -> None:
    import_csv(world, GOOD)
    changed = GOOD.replace("Ny bok,Forfatter", "Ny bok (2. utg.),Forfatter").replace(
        "30; 24 @", "32; 24 @"
    )
    result = import_csv(world, changed)
    assert result.created == {"titles changed": 1, "sets changed": 1}
    title = Title.objects.get(isbn="9788202399979")
    assert title.title == "Ny bok (2. utg.)"
    assert [s.copies for s in title.sets.all()] == [32, 24]


def test_a_bad_file_is_refused_whole_with_every_problem_by_line_and_column(world: Any) -> None:
    bad = (
        HEADER + "\n"
        "9788202399979,God bok,,,,nb,,,,,,,10\n"
        "978-82-02-39997-8,,,,1700,xx,kanskje,,,4-6,,,0; 5 @ Oslo bibliotek\n"
        "9788202399979,Igjen,,,,nb,,,,,,,\n"
    )
    with pytest.raises(catalogue_file.ImportFailed) as failed:
        import_csv(world, bad)
    problems = {(p.line, p.column) for p in failed.value.problems}
    assert problems == {
        (3, "isbn"),
        (3, "title"),
        (3, "year"),
        (3, "language"),
        (3, "easy_to_read"),
        (3, "grades"),
        (3, "sets"),
        (4, "isbn"),
    }
    messages = [str(p) for p in failed.value.problems]
    assert "Line 3, isbn: The check digit of this ISBN is wrong" in messages[0]
    assert any("“Oslo bibliotek” is not a main library of our region." in m for m in messages)
    assert "Line 4, isbn: The same ISBN is on line 2." in messages
    assert not Title.objects.exists()  # the good line 2 is not saved either


def test_a_file_without_the_columns_or_not_a_spreadsheet_is_refused(world: Any) -> None:
    with pytest.raises(catalogue_file.ImportFailed) as failed:
        import_csv(world, "isbn,title\n9788202399979,Bok\n")
    assert "author" in failed.value.problems[0].column
    with pytest.raises(catalogue_file.ImportFailed) as failed:
        catalogue_file.import_file(
            actor=None, agency=world.agency, name="x.xlsx", content=b"not a zip"
        )
    assert str(failed.value.problems[0]) == "Line 1, : This is not a readable XLSX file."


def test_a_set_is_not_shrunk_below_its_bookings_and_nothing_else_is_saved(world: Any) -> None:
    from bokbro.classsets.tests.conftest import make_school

    world.school = make_school(world)
    title = make_title(world, copies=30, isbn="9788202399979")
    book(world, title, copies=25)
    before = database_state()
    text = (
        HEADER + "\n"
        f"{title.isbn},{title.title},{title.author},,,nb,,,,,,,20\n"
        "9789129657654,Lätta boken,Någon,,,sv,,,,,,,12\n"
    )
    with pytest.raises(catalogue_file.ImportFailed) as failed:
        import_csv(world, text)
    assert [(p.line, p.column) for p in failed.value.problems] == [(2, "sets")]
    assert "Bookings hold 25 copies" in failed.value.problems[0].message
    assert database_state() == before


def test_excel_csv_with_semicolons_is_read(world: Any) -> None:
    text = ";".join(catalogue_file.COLUMNS) + "\n9788202399979;Bok;A;;;nn;;;;;;;5\n"
    import_csv(world, text)
    assert Title.objects.get().language == "nn"


def test_the_upload_page_imports_or_lists_the_errors(world: Any, client_for: Any) -> None:
    client = client_for(world.consultant, language="en")
    page = client.post(
        "/class-sets/staff/titles/import/",
        {"file": SimpleUploadedFile("k.csv", csv_bytes(HEADER + "\n123,Bok,,,,nb,,,,,,,5\n"))},
    )
    assert page.status_code == 400
    assert "Line 2, isbn: An ISBN has 10 or 13 digits" in page.content.decode()
    assert not Title.objects.exists()
    done = client.post(
        "/class-sets/staff/titles/import/", {"file": SimpleUploadedFile("k.csv", csv_bytes(GOOD))}
    )
    assert done.status_code == 302
    assert "New titles: 2." in client.get(done["Location"]).content.decode()
    refused = client.post(
        "/class-sets/staff/titles/import/", {"file": SimpleUploadedFile("k.pdf", b"%PDF")}
    )
    assert "Upload a CSV or XLSX file." in refused.content.decode()


def test_the_command_imports_and_exports(world: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_class_sets", str(source), agency="ostfold", stdout=out)
    assert "rows read: 2; themes: 2, titles: 2, sets added: 3." in out.getvalue()
    target = tmp_path / "out.xlsx"
    call_command("import_class_sets", str(target), agency="ostfold", export=True, stdout=out)
    call_command("import_class_sets", str(target), agency="ostfold", stdout=out)
    assert out.getvalue().endswith("rows read: 2; nothing changed.\n")
    source.write_text(HEADER + "\n1,,,,,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"nothing imported\.\nLine 2, isbn"):
        call_command("import_class_sets", str(source), agency="ostfold")
