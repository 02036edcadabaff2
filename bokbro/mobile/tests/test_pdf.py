"""Printable timetables: a PDF per route and per municipality, with each stop's rule in words,
its times, the next dates, cancellations and extra visits."""

from __future__ import annotations

import io
from datetime import date, time
from typing import Any

import pytest
from pypdf import PdfReader

from bokbro.mobile import selectors, services
from bokbro.mobile.models import ExtraVisit, StopKind
from bokbro.mobile.tests.factories import make_route, make_stop, make_vehicle, make_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def timetable(world: Any, monkeypatch: Any) -> Any:
    monkeypatch.setattr(selectors, "today", lambda: date(2026, 12, 1))
    world.bus = make_vehicle(world)
    world.route = make_route(world, world.bus)
    world.square = make_stop(world, "Torvet")
    world.school = make_stop(world, "Gressvik skole", StopKind.SCHOOL, n=1)
    world.visit = make_visit(world, world.route, world.square, starts_on=date(2026, 12, 1))
    make_visit(
        world,
        world.route,
        world.school,
        arrival=time(9, 0),
        departure=time(9, 45),
        starts_on=date(2026, 12, 1),
    )
    services.visit_cancel(
        actor=world.consultant,
        agency=world.agency,
        visit=world.visit,
        day=date(2026, 12, 15),
        reason="Bussen er på verksted",
    )
    services.extra_save(
        actor=world.consultant,
        agency=world.agency,
        extra=ExtraVisit(
            route=world.route,
            stop=world.square,
            date=date(2026, 12, 10),
            arrival=time(15, 0),
            departure=time(15, 30),
            reason="Julemarked",
        ),
    )
    return world


def pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_route_timetable_prints_its_stops_in_the_order_the_bus_comes(
    timetable: Any, client_for: Any
) -> None:
    reader = client_for(None, language="nb")
    text = pdf_text(reader.get(f"/mobile-library/routes/{timetable.route.pk}/timetable.pdf"))
    assert "Bokbussen Østfold: Tirsdag uke 1" in text
    assert text.index("Gressvik skole") < text.index("Torvet")  # 09:00 before 10:50
    assert "Annenhver tirsdag" in text
    assert "10:50–11:05" in text
    assert "01.12.2026" in text
    assert "Bussen er på verksted" in text
    assert "Julemarked" in text and "15:00–15:30" in text
    page = reader.get(f"/mobile-library/routes/{timetable.route.pk}/").content.decode()
    assert f"/mobile-library/routes/{timetable.route.pk}/timetable.pdf" in page


def test_the_municipality_timetable_prints_every_stop_in_the_readers_language(
    timetable: Any, client_for: Any
) -> None:
    reader = client_for(None, language="en")
    url = f"/mobile-library/municipalities/{timetable.municipality.pk}/timetable.pdf"
    text = pdf_text(reader.get(url))
    assert "Mobile library in Fredrikstad" in text
    assert "Every other Tuesday" in text
    assert "Gressvik skole" in text and "Torvet" in text
    assert "Extra visit" in text


def test_no_pdf_of_another_agencys_route(timetable: Any, client_for: Any) -> None:
    reader = client_for(None, host="jonkoping.testserver")
    assert (
        reader.get(f"/mobile-library/routes/{timetable.route.pk}/timetable.pdf").status_code == 404
    )
