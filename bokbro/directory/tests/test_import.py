"""The national directory import, run on the real data files (and broken copies of them)."""

from __future__ import annotations

import shutil
from datetime import date
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from bokbro.directory import services
from bokbro.directory.importer import DirectoryImportError, Report, import_directory, writing
from bokbro.directory.models import (
    County,
    Library,
    LibraryKind,
    Municipality,
    MunicipalityChange,
)

pytestmark = pytest.mark.django_db

XLSX = "se/libraries/Storfil_matchning_20151118.xlsx"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the real data files that a test may change."""
    return Path(shutil.copytree(settings.BOKBRO_DIRECTORY_DATA, tmp_path / "data"))


def replace_once(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must occur once) and return the line it was on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def set_library_cell(data_dir: Path, *, sigel: str, column: str, value: str) -> int:
    """Change one cell of KB's "2014" sheet in the library's row; return the row number."""
    path = data_dir / XLSX
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["2014"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Sigel")].value == sigel:
            row[header.index(column)].value = value
            workbook.save(path)
            return row[0].row
    raise AssertionError(sigel)


def counts(report: Report) -> dict[str, tuple[int, int, int]]:
    return {
        name: (c.created, c.updated, c.unchanged)
        for name, c in ((name, getattr(report, name)) for name in Report.LABELS)
    }


def directory_size() -> dict[str, int]:
    return {
        "counties": County.objects.count(),
        "municipalities": Municipality.objects.count(),
        "changes": MunicipalityChange.objects.count(),
        "libraries": Library.objects.count(),
    }


def test_import_loads_every_county_municipality_change_and_library():
    report = import_directory()

    assert counts(report) == {
        "counties": (36, 0, 0),
        "municipalities": (647, 0, 0),
        "municipality_changes": (516, 0, 0),
        "kb_libraries": (947, 0, 0),
        "derived_libraries": (357, 0, 0),
    }
    assert County.objects.filter(country="NO").count() == 15
    assert County.objects.filter(country="SE").count() == 21
    assert Municipality.objects.filter(country="NO").count() == 357
    assert Municipality.objects.filter(country="SE").count() == 290
    assert MunicipalityChange.objects.count() == 516
    assert Library.objects.filter(source="kb-2014", is_derived=False).count() == 947
    assert Library.objects.filter(source="derived", is_derived=True).count() == 357
    assert Library.objects.filter(municipality__isnull=True, county__isnull=False).count() == 21


def test_imported_rows_carry_the_real_facts():
    import_directory()

    bergen = Municipality.objects.select_related("county").get(country="NO", code="4601")
    assert (bergen.name, bergen.county.code, bergen.county.name) == ("Bergen", "46", "Vestland")
    assert (bergen.population, bergen.population_date) == (291940, date(2024, 1, 1))
    assert bergen.written_language == "neutral"
    assert bergen.website == "https://www.bergen.kommune.no"
    assert County.objects.get(country="NO", code="46").website == "https://www.vestlandfylke.no"

    kautokeino = Municipality.objects.get(country="NO", code="5612")
    assert (kautokeino.name, kautokeino.official_name) == ("Kautokeino", "Guovdageaidnu")
    assert kautokeino.written_language == "bokmål"
    derived = Library.objects.get(municipality=kautokeino)
    assert (derived.name, derived.kind, derived.source) == (
        "Kautokeino bibliotek",
        "main",
        "derived",
    )

    oslo = Municipality.objects.get(country="NO", code="0301")
    assert (oslo.county.code, oslo.county.name) == ("03", "Oslo")

    kalmar = Municipality.objects.get(country="SE", code="0880")
    assert (kalmar.name, kalmar.official_name) == ("Kalmar", "Kalmar kommun")
    assert Municipality.objects.get(country="SE", code="2080").official_name == "Falu kommun"

    upplands_vasby = Municipality.objects.get(country="SE", code="0114")
    assert upplands_vasby.county == County.objects.get(country="SE", code="01")
    assert (upplands_vasby.population, upplands_vasby.population_date) == (
        43891,
        date(2016, 12, 31),
    )
    library = Library.objects.get(sigel="Uppl")
    assert library.municipality == upplands_vasby
    assert (library.name, library.kind) == ("Upplands Väsby bibliotek", LibraryKind.MAIN)
    assert (library.street_address, library.postcode, library.city) == (
        "Love Almqvists torg 1",
        "194 33",
        "Upplands Väsby",
    )

    hospital = Library.objects.get(name="Sjukhusbiblioteken i Kalmar län")
    assert hospital.kind == LibraryKind.HOSPITAL
    assert hospital.municipality is None
    assert hospital.county == County.objects.get(country="SE", code="08")
    assert hospital.home_county == hospital.county


def test_municipality_with_several_public_libraries_has_one_main_library():
    import_directory()

    def kinds(code: str) -> dict[str, str]:
        return dict(
            Library.objects.filter(municipality__code=code, municipality__country="SE")
            .filter(kind__in=[LibraryKind.MAIN, LibraryKind.BRANCH])
            .values_list("name", "kind")
        )

    assert kinds("0461") == {"Gnesta bibliotek": "main", "Stjärnhovs bibliotek": "branch"}
    # KB lists eight Karlstad branches before the city library.
    karlstad = kinds("1780")
    assert karlstad.pop("Karlstads stadsbibliotek") == "main"
    assert set(karlstad.values()) == {"branch"} and len(karlstad) == 8
    malmo = kinds("1280")
    assert malmo.pop("Malmö stadsbibliotek") == "main"
    assert set(malmo.values()) == {"branch"} and len(malmo) == 4


def test_second_import_changes_nothing(django_assert_max_num_queries):
    import_directory()

    with django_assert_max_num_queries(10):
        report = import_directory()

    assert counts(report) == {
        "counties": (0, 0, 36),
        "municipalities": (0, 0, 647),
        "municipality_changes": (0, 0, 516),
        "kb_libraries": (0, 0, 947),
        "derived_libraries": (0, 0, 357),
    }
    assert not report.changed


def test_reimport_updates_what_changed_in_the_files_and_in_the_database(data_dir):
    import_directory(data_dir)
    replace_once(
        data_dir / "no/kommuner-2025.json", '"k_population": 291940', '"k_population": 300000'
    )
    Library.objects.filter(sigel="Uppl").update(postcode="000 00", email="info@example.se")
    Municipality.objects.filter(country="SE", code="0114").update(website="https://example.se")
    Library.objects.filter(source="derived", municipality__code="4601").update(name="Wrong")

    report = import_directory(data_dir)

    assert counts(report)["municipalities"] == (0, 1, 646)
    assert counts(report)["kb_libraries"] == (0, 1, 946)
    assert counts(report)["derived_libraries"] == (0, 1, 356)
    assert Municipality.objects.get(country="NO", code="4601").population == 300000
    library = Library.objects.get(sigel="Uppl")
    # What the files carry is restored; what they do not carry stays as people entered it.
    assert (library.postcode, library.email) == ("194 33", "info@example.se")
    assert Municipality.objects.get(country="SE", code="0114").website == "https://example.se"
    assert (
        Library.objects.get(source="derived", municipality__code="4601").name == "Bergen bibliotek"
    )


def test_derived_library_corrected_by_a_person_is_left_alone():
    import_directory()
    library = Library.objects.get(source="derived", municipality__code="4601")
    person = get_user_model().objects.create_user("rettet@example.no")
    services.library_update(
        actor=person,
        agency=None,
        library=library,
        data=services.LibraryData.of(library, name="Bergen offentlige bibliotek"),
    )

    report = import_directory()

    assert counts(report)["derived_libraries"] == (0, 0, 357)
    library.refresh_from_db()
    assert (library.name, library.is_derived) == ("Bergen offentlige bibliotek", False)
    assert Library.objects.filter(municipality__code="4601", source="derived").count() == 1


def break_json(data_dir: Path) -> str:
    line = replace_once(data_dir / "no/kommuner-2025.json", "291940", '"abc"')
    return f'kommuner-2025.json, line {line}, field k_population: "abc" is not a whole number'


def break_csv(data_dir: Path) -> str:
    line = replace_once(
        data_dir / "no/ssb_kommune_changes_2011_2024.csv",
        "3005,Drammen,,3301,Drammen,,2024-01-01",
        "3005,Drammen,,3301,Drammen,,2024-13-01",
    )
    return (
        f"ssb_kommune_changes_2011_2024.csv, line {line}, field changeOccurred:"
        ' "2024-13-01" is not a date (YYYY-MM-DD)'
    )


def break_xlsx(data_dir: Path) -> str:
    row = set_library_cell(data_dir, sigel="Kld1", column="Kommunkod", value="1799")
    assert row == 201
    return (
        "Storfil_matchning_20151118.xlsx, sheet 2014, row 201, field Kommunkod:"
        ' "1799" is neither a municipality nor a county (LL00)'
    )


@pytest.mark.parametrize("break_file", [break_json, break_csv, break_xlsx])
def test_broken_file_is_named_with_line_and_field_and_nothing_changes(data_dir, break_file):
    import_directory(data_dir)
    size = directory_size()
    replace_once(data_dir / "se/counties.csv", "01,Stockholms län,", "01,Stockholm County,")
    message = break_file(data_dir)

    with pytest.raises(DirectoryImportError) as excinfo:
        import_directory(data_dir)

    assert str(excinfo.value) == message
    assert County.objects.get(country="SE", code="01").name == "Stockholms län"
    assert directory_size() == size


def test_invalid_json_is_reported_with_its_line(data_dir):
    line = replace_once(data_dir / "no/fylker-2025.json", '"f_name": "Agder",', '"f_name": "Agder"')

    with pytest.raises(
        DirectoryImportError, match=rf"^fylker-2025.json, line {line + 1}: not valid"
    ):
        import_directory(data_dir)


def test_failure_while_writing_rolls_back_everything(monkeypatch):
    upsert = writing.upsert

    def failing_upsert(model, *args, **kwargs):
        if model is Library:
            raise RuntimeError("disk full")
        return upsert(model, *args, **kwargs)

    monkeypatch.setattr(writing, "upsert", failing_upsert)

    with pytest.raises(RuntimeError):
        import_directory()

    assert directory_size() == {"counties": 0, "municipalities": 0, "changes": 0, "libraries": 0}


def test_command_prints_the_report():
    out = StringIO()

    call_command("import_directory", stdout=out)

    assert out.getvalue().splitlines() == [
        "Counties: 36 created, 0 updated, 0 unchanged",
        "Municipalities: 647 created, 0 updated, 0 unchanged",
        "Municipality changes: 516 created, 0 updated, 0 unchanged",
        "Libraries (KB 2014): 947 created, 0 updated, 0 unchanged",
        "Libraries (derived): 357 created, 0 updated, 0 unchanged",
    ]


def test_command_fails_with_the_message_on_bad_input(data_dir):
    message = break_csv(data_dir)

    with pytest.raises(CommandError) as excinfo:
        call_command("import_directory", "--data-dir", str(data_dir), stdout=StringIO())

    assert str(excinfo.value) == f"Nothing was imported: {message}"
    assert excinfo.value.returncode == 1
    assert directory_size()["municipalities"] == 0


def test_old_municipality_codes_map_to_todays_municipality():
    import_directory()

    def today(code: str) -> tuple[str, str] | None:
        municipality = services.municipality_for_code(code)
        return (municipality.code, municipality.name) if municipality else None

    assert today("3005") == ("3301", "Drammen")  # 2020 → 2024
    assert today("0602") == ("3301", "Drammen")  # 2019 → 2020 → 2024
    assert today("5401") == ("5501", "Tromsø")
    assert today("1902") == ("5501", "Tromsø")
    assert today("3024") == ("3201", "Bærum")
    assert today("1507") == ("1508", "Ålesund")  # the split follows the name
    assert today("1534") == ("1580", "Haram")  # merged into Ålesund 2020, split out again 2024
    assert today("1601") == ("5001", "Trondheim")  # then only renamed "Trondheim - Tråante"
    assert today("0301") == ("0301", "Oslo")
    assert today("301") == ("0301", "Oslo")  # a spreadsheet dropped the leading zero
    assert today("9999") is None
