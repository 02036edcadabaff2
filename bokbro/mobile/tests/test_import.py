"""The Libraries Hacked CSV import and export: every sample file imports whole, a bad file is
refused with line and field and saves nothing, a second import changes nothing, and the export
reads back to the same timetable."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import holidays
import pytest
from dateutil.rrule import rrulestr
from django.core.management import CommandError, call_command
from django.utils import translation

from bokbro.mobile import importer
from bokbro.mobile.models import Cancellation, Route, Stop, Vehicle, Visit
from bokbro.mobile.selectors import occurrences
from bokbro.mobile.tests.conftest import CSV_FILES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Any:
    with translation.override("en"):
        yield


def snapshot(agency: Any) -> dict[str, list[Any]]:
    return {
        "vehicles": list(Vehicle.objects.filter(agency=agency).values("name", "operator")),
        "routes": list(Route.objects.filter(agency=agency).values("vehicle__name", "name")),
        "stops": list(
            Stop.objects.filter(agency=agency)
            .order_by("community", "name")
            .values("name", "community", "address", "postcode", "latitude", "longitude", "kind")
        ),
        "visits": list(
            Visit.objects.filter(agency=agency)
            .order_by(
                "route__vehicle__name", "route__name", "stop__community", "stop__name", "arrival"
            )
            .values(
                "route__name", "stop__name", "arrival", "departure", "rule", "starts_on", "ends_on"
            )
        ),
        "cancellations": list(
            Cancellation.objects.filter(visit__agency=agency).values_list(
                "visit__stop__name", "date"
            )
        ),
    }


def test_files_are_found() -> None:
    assert len(CSV_FILES) >= 4, "the sample files in /work/shared/data/mobile-libraries/"


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.stem)
def test_every_sample_file_imports_whole_and_twice_changes_nothing(world: Any, path: Any) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    call_command("import_mobile_library", str(path), agency="ostfold", stdout=io.StringIO())
    assert Visit.objects.filter(agency=world.agency).count() == len(rows)
    assert Vehicle.objects.count() == len({r["mobile"] for r in rows})
    assert Route.objects.count() == len({(r["mobile"], r["route"]) for r in rows})
    assert Stop.objects.count() == len({(r["community"].strip(), r["stop"].strip()) for r in rows})
    first = rows[0]
    visit = Visit.objects.get(stop__name=first["stop"].strip(), route__name=first["route"])
    assert visit.rule == first["frequency"]
    assert visit.starts_on.isoformat() == first["start"]
    assert f"{visit.arrival:%H:%M}" == first["arrival"]

    before = snapshot(world.agency)
    out = io.StringIO()
    call_command("import_mobile_library", str(path), agency="ostfold", stdout=out)
    assert snapshot(world.agency) == before
    assert "nothing new" in out.getvalue()


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.stem)
def test_concrete_visits_equal_the_rrule_expansion(world: Any, path: Any) -> None:
    """Independently of the app's code: dateutil's expansion minus the public holidays (the
    agency's, Norwegian; the sample files have no exception dates)."""
    importer.import_text(actor=None, agency=world.agency, text=path.read_text(encoding="utf-8"))
    first, last = date(2026, 8, 1), date(2027, 7, 31)
    off = set(holidays.country_holidays("NO", years=[2026, 2027]))
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    visits = {
        (v.route.name, v.stop.community, v.stop.name): v for v in Visit.objects.for_timetable()
    }
    for row in rows:
        rule = rrulestr(row["frequency"], dtstart=date.fromisoformat(row["start"]))
        expected = [
            d.date()
            for d in rule.between(
                datetime(2026, 8, 1),
                datetime(2027, 7, 31, 23, 59),
                inc=True,
            )
            if d.date() not in off
        ]
        visit = visits[(row["route"].strip(), row["community"].strip(), row["stop"].strip())]
        found = occurrences(visit, first, last, country="NO", holidays=[])
        assert [o.day for o in found if not o.cancelled] == expected, row
        assert expected, "each sample rule gives dates in the year"


def test_export_writes_the_same_schema_and_reads_back_the_same(world: Any) -> None:
    for path in CSV_FILES:
        importer.import_text(actor=None, agency=world.agency, text=path.read_text(encoding="utf-8"))
    Cancellation.objects.create(visit=Visit.objects.earliest("pk"), date=date(2030, 1, 7))
    text = importer.export_text(world.agency)
    assert text.splitlines()[0] == ",".join(importer.COLUMNS)
    importer.import_text(actor=None, agency=world.other_agency, text=text)
    mine, theirs = snapshot(world.agency), snapshot(world.other_agency)
    assert theirs == mine
    assert importer.export_text(world.other_agency) == text


HEADER = ",".join(importer.COLUMNS)
GOOD = (
    "Østfold,Bokbussen,Tirsdag uke 1,Fredrikstad,Torvet,Torvet 1,1606,10.93,59.21,Tuesday,"
    "Public,10:50,11:05,FREQ=WEEKLY;INTERVAL=2,2026-08-18,,,"
)


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        (GOOD.replace("10:50,11:05", "11:05,10:50"), "departure", "leave before"),
        (
            GOOD.replace("FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=x"),
            "frequency",
            "cannot be read",
        ),
        (
            GOOD.replace("FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;UNTIL=20200101"),
            "frequency",
            "no date",
        ),
        (GOOD.replace("2026-08-18", "2026-18-08"), "start", "Not a date"),
        (GOOD.replace(",59.21,", ",95.21,"), "geoy", "between -90 and 90"),
        (GOOD.replace("Tuesday", "Monday"), "day", "not a Monday"),
        (GOOD.replace(",Public,", ",Spaceport,"), "type", "Unknown stop type"),
        (GOOD.replace(",Torvet,", ",,"), "stop", "empty"),
    ],
)
def test_a_bad_line_rejects_the_whole_file_with_line_and_field(
    world: Any, line: str, column: str, words: str
) -> None:
    text = "\n".join([HEADER, GOOD.replace("Torvet,Torvet 1", "Gressvik,Gressvik 1"), line]) + "\n"
    with pytest.raises(importer.ImportFailed) as failed:
        importer.import_text(actor=None, agency=world.agency, text=text)
    problem = failed.value.problems[0]
    assert (problem.line, problem.column) == (3, column)
    assert words in problem.message
    assert not Visit.objects.exists() and not Stop.objects.exists()


def test_a_vehicle_in_two_places_at_once_is_imported_as_published_with_a_warning(
    world: Any,
) -> None:
    """Essex's own file has weeks 2 and 3 of a Friday route starting on the same day."""
    essex = next(p for p in CSV_FILES if p.stem == "essex")
    out = io.StringIO()
    call_command("import_mobile_library", str(essex), agency="ostfold", stdout=out)
    assert "Warning: Line 197, arrival: County Mobile 1 is at Old School House (Lindsell)" in (
        out.getvalue()
    )
    other = GOOD.replace("Torvet,Torvet 1", "Gressvik,Gressvik 1").replace(
        "10:50,11:05", "11:00,11:30"
    )
    result = importer.import_text(
        actor=None, agency=world.other_agency, text=f"{HEADER}\n{GOOD}\n{other}\n"
    )
    assert [w.line for w in result.warnings] == [3]
    assert "two places at once" in result.warnings[0].message


def test_a_missing_column_is_named_and_the_command_says_nothing_was_imported(
    world: Any, tmp_path: Any
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.replace(",frequency", "") + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"(?s)nothing imported.*Line 1, frequency"):
        call_command("import_mobile_library", str(path), agency="ostfold")


def test_a_stop_in_a_directory_municipality_is_linked_to_it(world: Any) -> None:
    importer.import_text(actor=None, agency=world.agency, text=f"{HEADER}\n{GOOD}\n")
    assert Stop.objects.get().municipality == world.municipality


def test_the_bokbro_command_passes_import_mobile_library_through(
    world: Any, capsys: Any, monkeypatch: Any
) -> None:
    from django.db import connections

    from bokbro import cli

    # A command run from the command line closes the database connections when it ends; the
    # test's own connection (PostgreSQL) must stay open to look at what was imported.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    barnet = next(p for p in CSV_FILES if p.stem == "barnet")
    cli.main(["import-mobile-library", str(barnet), "--agency", "ostfold"])
    assert "rows read: 10;" in capsys.readouterr().out
    assert Visit.objects.filter(agency=world.agency).count() == 10
