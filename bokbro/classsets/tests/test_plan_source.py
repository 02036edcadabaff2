"""What the class sets give the follow-up and the annual report: the year's loans (sent
bookings), copies, schools and municipalities reached, by grade band."""

from __future__ import annotations

from typing import Any

from bokbro.classsets import plan_source, services
from bokbro.classsets.tests.conftest import book, make_school, next_monday
from bokbro.reports.registry import registered


def test_the_years_loans_and_what_they_reached(cs: Any) -> None:
    other = make_school(cs, "Hauge skole")
    first = book(cs, cs.title, copies=20)
    services.booking_check_out(actor=cs.consultant, booking=first, copies=18)
    second = book(cs, cs.title, copies=10, school=other, starts_on=next_monday(8))
    services.booking_check_out(actor=cs.consultant, booking=second, copies=10)
    book(cs, cs.title, copies=2, starts_on=next_monday(12))  # held, never sent: no loan
    cs.title.grade_bands = "4-5 6-7"
    cs.title.save()

    found = [
        a
        for year in {first.starts_on.year, second.starts_on.year}
        for a in plan_source.activities(cs.agency, year)
    ]
    assert len(found) == 2
    assert {a.title for a in found} == {
        "Doktor Proktors prompepulver (Gressvik skole, 6B)",
        "Doktor Proktors prompepulver (Hauge skole, 6B)",
    }
    numbers = {str(f.label): f.value for f in plan_source.figures(found)}
    assert numbers["Class-set loans"] == 2
    assert numbers["Copies lent as class sets"] == 28
    assert numbers["Schools reached with class sets"] == 2
    assert numbers["Municipalities reached with class sets"] == 1
    assert numbers["Class-set loans, Grades 4–5"] == 2
    assert plan_source.activities(cs.other_agency, first.starts_on.year) == []


def test_the_source_is_registered_for_the_reports() -> None:
    assert "classsets" in {source.key for source in registered()}


def test_the_library_profile_shows_the_loans_per_school(cs: Any, client_for: Any) -> None:
    other = make_school(cs, "Hauge skole")
    first = book(cs, cs.title, copies=20)
    services.booking_check_out(actor=cs.consultant, booking=first, copies=18)
    second = book(cs, cs.title, copies=10, school=other)
    services.booking_check_out(actor=cs.consultant, booking=second, copies=10)
    book(cs, cs.title, copies=2, starts_on=next_monday(12))  # held, never sent: no loan

    page = client_for(cs.manager, language="en").get(
        f"/directory/libraries/{cs.library.pk}/profile/"
    )
    body = " ".join(page.content.decode().split())
    assert f"Class-set loans in {first.starts_on.year}" in body
    assert "<td>Gressvik skole</td><td>1</td><td>18</td>" in body
    assert "<td>Hauge skole</td><td>1</td><td>10</td>" in body
    assert "<td>2</td><td>28</td>" in body  # in all
