"""The public catalogue: search and facets, a title's weeks readable without colour, the list's
query count independent of its length; the staff's title and set forms."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bokbro.classsets.models import ClassSet, HolidayPeriod, Theme, Title
from bokbro.classsets.tests.conftest import book, make_title, next_monday
from bokbro.core.isbn import normalise_isbn


def test_isbn10_and_isbn13_are_checked_and_stored_as_13_digits() -> None:
    from django.core.exceptions import ValidationError

    assert normalise_isbn("82-02-28807-X") == normalise_isbn("978-82-02-28807-5")
    assert normalise_isbn("978 82 02 28807 5") == "9788202288075"
    assert normalise_isbn("0-306-40615-2") == "9780306406157"
    for wrong in ("978-82-02-28807-4", "82-02-28807-8", "12345", "978-82-02-2880X-5"):
        with pytest.raises(ValidationError):
            normalise_isbn(wrong)


def titles_on_page(client: Any, query: str = "") -> list[str]:
    page = client.get(f"/class-sets/{query}")
    assert page.status_code == 200
    return re.findall(
        r'<h2 class="ds-heading" data-size="sm"><a [^>]*>([^<]*)</a>', page.content.decode()
    )


def test_search_and_facets_find_what_a_teacher_asks_for(cs: Any, client_for: Any) -> None:
    friends = Theme.objects.create(agency=cs.agency, name="Vennskap")
    make_title(
        cs,
        isbn="9788202111111",
        title="Brødrene Løvehjerte",
        author="Astrid Lindgren",
        grade_bands=("4-5", "6-7"),
    )
    easy = make_title(
        cs,
        isbn="9789100222222",
        title="Lätta boken",
        author="Någon",
        language="sv",
        easy_to_read=True,
        grade_bands=("1-3",),
    )
    easy.themes.add(friends)
    client = client_for(None)
    assert titles_on_page(client) == [
        "Brødrene Løvehjerte",
        "Doktor Proktors prompepulver",
        "Lätta boken",
    ]
    assert titles_on_page(client, "?q=lindgren") == ["Brødrene Løvehjerte"]
    assert titles_on_page(client, "?q=978-91-00-22222") == ["Lätta boken"]
    assert titles_on_page(client, "?grade=6-7") == ["Brødrene Løvehjerte"]
    assert titles_on_page(client, "?language=sv") == ["Lätta boken"]
    assert titles_on_page(client, f"?theme={friends.pk}") == ["Lätta boken"]
    assert titles_on_page(client, "?easy=on") == ["Lätta boken"]
    # Another agency's catalogue is its own.
    assert titles_on_page(client_for(None, host="jonkoping.testserver")) == []


def test_the_catalogue_reads_as_many_queries_for_30_titles_as_for_3(
    cs: Any, client_for: Any
) -> None:
    theme = Theme.objects.create(agency=cs.agency, name="Natur")

    def count() -> int:
        # Signed in: the page is rendered for each request, never served from the cache.
        client = client_for(cs.public)
        client.get("/class-sets/")  # warm the host and session caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/class-sets/").status_code == 200
        return len(queries)

    for i in range(2):
        make_title(cs, isbn=f"97882020000{i + 1}0", title=f"Bok {i}").themes.add(theme)
    few = count()
    for i in range(27):
        make_title(cs, isbn=f"9788203{i:05d}0", title=f"Mer {i}", copies=[10, 5]).themes.add(theme)
    assert Title.objects.count() == 30
    assert count() == few


def test_a_titles_weeks_say_how_many_copies_are_free_in_words(cs: Any, client_for: Any) -> None:
    start = next_monday(1)
    book(cs, cs.title, copies=12, starts_on=start, ends_on=start + timedelta(days=4))
    HolidayPeriod.objects.create(
        agency=cs.agency,
        name="Vinterferie",
        starts_on=start + timedelta(weeks=2),
        ends_on=start + timedelta(weeks=2, days=6),
    )
    text = client_for(None, language="en").get(f"/class-sets/{cs.title.pk}/").content.decode()
    assert "18 of 30 free" in text
    assert "All 30 free" in text
    assert "Closed: Vinterferie" in text


def test_staff_add_a_title_with_a_hyphenated_isbn_and_its_set(cs: Any, client_for: Any) -> None:
    client = client_for(cs.consultant, language="en")
    response = client.post(
        "/class-sets/staff/titles/new/",
        {"isbn": "82-02-28807-x", "title": "Ny bok", "language": "nb", "grade_bands": ["4-5"]},
    )
    title = Title.objects.get(title="Ny bok")
    assert response["Location"] == f"/class-sets/staff/titles/{title.pk}/sets/new/"
    assert (title.isbn, title.grade_list) == ("9788202288075", ["4-5"])
    client.post(response["Location"], {"copies": "28", "condition_note": "Nye"})
    assert title.copies_owned() == 28
    # The same ISBN again, or a wrong check digit: a message on the field, nothing saved.
    again = client.post(
        "/class-sets/staff/titles/new/",
        {"isbn": "9788202288075", "title": "Kopi", "language": "nb"},
    )
    assert "already in the catalogue" in again.content.decode()
    wrong = client.post(
        "/class-sets/staff/titles/new/",
        {"isbn": "9788202288074", "title": "Feil", "language": "nb"},
    )
    assert "check digit" in wrong.content.decode()
    assert Title.objects.filter(title__in=["Kopi", "Feil"]).count() == 0


def test_a_set_cannot_shrink_below_what_bookings_hold(cs: Any, client_for: Any) -> None:
    book(cs, cs.title, copies=25)
    class_set = ClassSet.objects.get()
    response = client_for(cs.consultant, language="en").post(
        f"/class-sets/staff/titles/{cs.title.pk}/sets/{class_set.pk}/", {"copies": "20"}
    )
    assert "hold 25 copies" in response.content.decode()
    class_set.refresh_from_db()
    assert class_set.copies == 30


def test_the_booking_form_shows_the_free_quantity_and_other_weeks(cs: Any, client_for: Any) -> None:
    book(cs, cs.title, copies=24)
    start = next_monday()
    client = client_for(None, language="sv")
    response = client.post(
        f"/class-sets/{cs.title.pk}/book/",
        {
            "copies": "30",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=25)).isoformat(),
            "school": cs.school.pk,
            "class_name": "5A",
            "contact_name": "Per",
            "contact_email": "per@skole.example",
            "delivery_library": cs.library.pk,
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Bara 6 av de 30 exemplar du bad om" in text
    assert "Boka 6 exemplar för dessa datum" in text
    assert "30 exemplar är lediga under dessa perioder" in text


def test_an_anonymous_visitor_sees_a_new_title_or_set_at_once(cs: Any, client_for: Any) -> None:
    """The page kept for anonymous visitors is replaced as soon as the catalogue changes."""
    from bokbro.classsets import services

    client = client_for(None)
    assert titles_on_page(client) == ["Doktor Proktors prompepulver"]
    assert titles_on_page(client) == ["Doktor Proktors prompepulver"]  # from the cache
    added = make_title(cs, isbn="9788202333330", title="Anne-Cath. i skolen", copies=[])
    assert titles_on_page(client) == ["Anne-Cath. i skolen", "Doktor Proktors prompepulver"]
    services.class_set_save(actor=cs.consultant, agency=cs.agency, title=added, copies=17)
    assert "17 eksemplarer" in client.get("/class-sets/").content.decode()
    client_for(cs.consultant).post("/class-sets/staff/themes/", {"name": "Skolestart"})
    assert "Skolestart" in client.get("/class-sets/").content.decode()
