"""The dispatch list's paper: a packing slip per booking, and the week's slips in one PDF."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from bokbro.classsets import services
from bokbro.classsets.models import CourierRoute
from bokbro.classsets.tests.conftest import book, make_school, next_monday


def pdf_pages(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return [" ".join(page.extract_text().split()) for page in pages]


def test_packing_slips_name_the_title_copies_sets_school_library_and_window(
    cs: Any, client_for: Any
) -> None:
    week = next_monday(2)
    booking = book(cs, cs.title, copies=25, starts_on=week)
    services.booking_confirm(booking=booking)
    other = make_school(cs, "Kråkerøy skole")
    book(cs, cs.title, copies=5, school=other, class_name="4A", starts_on=week)
    staff = client_for(cs.staff, language="nb")
    year, number, _day = week.isocalendar()
    dispatch = staff.get(f"/class-sets/staff/dispatch/?week={year}-W{number:02d}").content.decode()
    assert f"/class-sets/staff/bookings/{booking.pk}/packing-slip.pdf" in dispatch

    (slip,) = pdf_pages(staff.get(f"/class-sets/staff/bookings/{booking.pk}/packing-slip.pdf"))
    assert "Pakkseddel" in slip and "Doktor Proktors prompepulver" in slip
    assert "25 eksemplarer" in slip
    assert str(cs.title.sets.get().pk) in slip  # the set's number
    assert "Gressvik skole" in slip and "6B" in slip and cs.library.name in slip
    assert booking.starts_on.strftime("%Y") in slip

    week_pdf = staff.get(f"/class-sets/staff/dispatch/packing-slips.pdf?week={year}-W{number:02d}")
    pages = pdf_pages(week_pdf)
    assert len(pages) == 2
    assert "Gressvik skole" in pages[0] and "Kråkerøy skole" in pages[1]


def test_the_dispatch_list_groups_the_week_by_courier_route(cs: Any, client_for: Any) -> None:
    team = client_for(cs.consultant, language="en")
    add = {"name": "Route north", "weekday": "1", "libraries": [cs.library.pk]}
    assert team.post("/class-sets/staff/routes/", add).status_code == 302
    # A library is on one route at most: the second route is refused, on its field.
    again = team.post("/class-sets/staff/routes/", add | {"name": "Route south"})
    assert "Fredrikstad bibliotek is on the route Route north." in again.content.decode()
    assert CourierRoute.objects.count() == 1

    week = next_monday(2)
    book(cs, cs.title, copies=5, starts_on=week)
    book(cs, cs.title, copies=5, starts_on=week, delivery_library=cs.other_library)
    year, number, _day = week.isocalendar()
    page = team.get(f"/class-sets/staff/dispatch/?week={year}-W{number:02d}").content.decode()
    north = page.index("Courier route: Route north (tuesday)")
    unrouted = page.index("No courier route")
    assert north < page.index("Fredrikstad bibliotek", north) < unrouted
    assert unrouted < page.index(cs.other_library.name, unrouted)
