"""The staff pages: a visit chosen from plain choices with its next 20 dates before saving,
refusals on the form in the user's language, a one-off cancellation, the upload of a
timetable (a bad file saves nothing) and the export."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bokbro.mobile import selectors
from bokbro.mobile.models import Cancellation, SchoolHoliday, StopKind, Visit
from bokbro.mobile.tests.access import visit_form
from bokbro.mobile.tests.conftest import CSV_FILES
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world: Any, client_for: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 8, 1))
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.school = make_stop(world, "Gressvik skole", StopKind.SCHOOL)
    SchoolHoliday.objects.create(
        agency=world.agency,
        name="Høstferie",
        starts_on=date(2026, 9, 28),
        ends_on=date(2026, 10, 2),
    )
    world.kari = client_for(world.consultant, language="nb")
    return world


def test_the_preview_shows_the_next_20_dates_and_saves_nothing(staff: Any) -> None:
    url = f"/mobile-library/staff/routes/{staff.route.pk}/visits/new/"
    data = visit_form(
        staff.school, starts_on="2026-09-01", pattern="month", ordinal="1", preview="1"
    )
    page = staff.kari.post(url, data)
    text = page.content.decode()
    assert page.status_code == 200
    assert not Visit.objects.exists()
    preview = text.split('id="preview"')[1].split("</section>")[0]
    assert preview.count("<li>") == 20
    # The first Tuesday of each month: 1 Sep, 6 Oct, 3 Nov …
    assert 'datetime="2026-09-01"' in preview and 'datetime="2026-10-06"' in preview


def test_the_preview_marks_the_school_holiday(staff: Any) -> None:
    url = f"/mobile-library/staff/routes/{staff.route.pk}/visits/new/"
    data = visit_form(staff.school, starts_on="2026-09-15", interval="2", preview="1")
    text = staff.kari.post(url, data).content.decode()
    assert "ikke besøk: skoleferie" in text.split('datetime="2026-09-29"')[1][:80]


def test_every_other_week_is_saved_as_its_rule(staff: Any) -> None:
    url = f"/mobile-library/staff/routes/{staff.route.pk}/visits/new/"
    response = staff.kari.post(url, visit_form(staff.school, interval="2"))
    assert response.status_code == 302
    assert Visit.objects.get().rule == "FREQ=WEEKLY;INTERVAL=2"


def test_a_typed_rule_with_an_error_is_shown_on_the_form_in_norwegian(staff: Any) -> None:
    url = f"/mobile-library/staff/routes/{staff.route.pk}/visits/new/"
    page = staff.kari.post(
        url, visit_form(staff.school, pattern="rule", rule="FREQ=WEEKLY;INTERVAL=x")
    )
    assert page.status_code == 200
    assert "Regelen kan ikke leses" in page.content.decode()
    assert not Visit.objects.exists()


def test_a_conflict_and_a_backwards_time_are_refused_on_the_form(staff: Any) -> None:
    make_visit(staff, staff.route, staff.school, starts_on=date(2026, 8, 18))
    other = make_stop(staff, "Torvet", n=1)
    url = f"/mobile-library/staff/routes/{staff.route.pk}/visits/new/"
    text = staff.kari.post(
        url, visit_form(other, arrival="10:55", departure="11:30")
    ).content.decode()
    assert "en bokbuss kan ikke være to steder samtidig" in text
    text = staff.kari.post(
        url, visit_form(other, arrival="14:00", departure="13:00")
    ).content.decode()
    assert "Bokbussen kan ikke kjøre før den har kommet." in text
    assert Visit.objects.count() == 1


def test_a_one_off_cancellation_with_a_reason_shows_on_the_stop_page(
    staff: Any, client: Any
) -> None:
    visit = make_visit(staff, staff.route, staff.school, starts_on=date(2026, 8, 18), ends_on=None)
    response = staff.kari.post(
        f"/mobile-library/staff/visits/{visit.pk}/cancel/",
        {"date": "2026-09-01", "reason": "Bussen er på verksted"},
    )
    assert response.status_code == 302
    assert Cancellation.objects.get().reason == "Bussen er på verksted"
    text = client.get(f"/mobile-library/stops/{staff.school.pk}/").content.decode()
    assert "Bussen er på verksted" in text


def test_uploading_a_sample_file_imports_it_and_a_bad_one_saves_nothing(staff: Any) -> None:
    url = "/mobile-library/staff/import/"
    bad = b"organisation,mobile\nX,Y\n"
    page = staff.kari.post(url, {"file": SimpleUploadedFile("t.csv", bad)})
    assert page.status_code == 400
    assert "Linje 1" in page.content.decode() and "frequency" in page.content.decode()
    assert Visit.objects.count() == 0
    barnet = next(p for p in CSV_FILES if p.stem == "barnet")
    response = staff.kari.post(url, {"file": SimpleUploadedFile("barnet.csv", barnet.read_bytes())})
    assert response.status_code == 302
    assert Visit.objects.count() == 10
    export = staff.kari.get("/mobile-library/staff/mobile-library.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert export.content.decode().count("\n") == 11


def test_a_file_that_is_not_csv_is_refused(staff: Any) -> None:
    page = staff.kari.post(
        "/mobile-library/staff/import/", {"file": SimpleUploadedFile("t.pdf", b"%PDF-1.4")}
    )
    assert "Last opp en CSV-fil" in page.content.decode()
