"""A basket: several titles booked for one class in one request, with one mail and one personal
link; all or nothing, each title's rule held under its lock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bokbro.classsets import baskets
from bokbro.classsets.models import Basket, Booking
from bokbro.classsets.tests.access import database_state
from bokbro.classsets.tests.conftest import book, make_title, next_monday, request_for


@pytest.fixture
def two(cs: Any) -> Any:
    cs.second = make_title(cs, copies=20, isbn="9788202399979", title="Brødrene Løvehjerte")
    return cs


def basket_post(world: Any, copies: dict[int, int], **overrides: Any) -> dict[str, Any]:
    start = overrides.pop("starts_on", next_monday())
    data = {
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=25)).isoformat(),
        "school": world.school.pk,
        "class_name": "6B",
        "contact_name": "Lærer Lise",
        "contact_email": "lise@skole.example",
        "delivery_library": world.library.pk,
    }
    data.update({f"copies_{pk}": str(n) for pk, n in copies.items()})
    data.update(overrides)
    return data


def fill_basket(client: Any, *titles: Any) -> None:
    for title in titles:
        added = client.post(f"/class-sets/{title.pk}/basket/")
        assert added["Location"] == "/class-sets/basket/"


def test_a_teacher_books_two_titles_with_one_mail_and_confirms_both_by_one_link(
    two: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(None, language="en")
    fill_basket(client, two.title, two.second)
    page = client.get("/class-sets/basket/").content.decode()
    assert "Copies of “Doktor Proktors prompepulver”" in page
    assert "Copies of “Brødrene Løvehjerte”" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/class-sets/basket/", basket_post(two, {two.title.pk: 25, two.second.pk: 20})
        )
    basket = Basket.objects.get()
    assert done["Location"] == f"/class-sets/basket/{basket.token}/"
    assert sorted(basket.bookings.values_list("copies", "status")) == [
        (20, "held"),
        (25, "held"),
    ]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # In the agency's language: the teacher has no account to choose another.
    assert "25 eksemplarer av «Doktor Proktors prompepulver»" in body
    assert "20 eksemplarer av «Brødrene Løvehjerte»" in body
    assert f"/class-sets/basket/{basket.token}/" in body
    assert "Your basket is empty" in client.get("/class-sets/basket/").content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/class-sets/basket/{basket.token}/confirm/")
    assert set(basket.bookings.values_list("status", flat=True)) == {"confirmed"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Bestilling av klassesett bekreftet: 2 titler"
    client.post(f"/class-sets/basket/{basket.token}/cancel/")
    assert set(basket.bookings.values_list("status", flat=True)) == {"cancelled"}


def test_when_one_title_is_short_nothing_is_held_and_the_page_says_which(
    two: Any, client_for: Any
) -> None:
    book(two, two.second, copies=15)
    before = database_state()
    client = client_for(None, language="en")
    fill_basket(client, two.title, two.second)
    page = client.post(
        "/class-sets/basket/", basket_post(two, {two.title.pk: 25, two.second.pk: 10})
    )
    text = page.content.decode()
    assert "Not enough copies free: nothing is booked" in text
    assert "“Brødrene Løvehjerte”: 5 of the 10 copies you asked for are free." in text
    assert "Doktor Proktors prompepulver”: " not in text
    assert database_state() == before
    assert not mail.outbox


def test_a_short_title_with_one_copy_or_none_free_says_so_in_the_right_form(
    two: Any, client_for: Any
) -> None:
    book(two, two.second, copies=19)
    client = client_for(None, language="en")
    fill_basket(client, two.title, two.second)
    post = basket_post(two, {two.title.pk: 25, two.second.pk: 10})
    text = client.post("/class-sets/basket/", post).content.decode()
    assert "“Brødrene Løvehjerte”: 1 of the 10 copies you asked for is free." in text
    assert "Only 1 copy is free for the whole period." in text
    book(two, two.second, copies=1)
    text = client.post("/class-sets/basket/", post).content.decode()
    assert "“Brødrene Løvehjerte”: none of the copies you asked for are free." in text


def test_bad_input_is_named_on_its_line_and_nothing_is_saved(two: Any) -> None:
    start = next_monday()
    requests = [
        request_for(two, two.title, copies=0, starts_on=start, ends_on=start - timedelta(days=1)),
        request_for(two, two.second, copies=21, starts_on=start, ends_on=start - timedelta(days=1)),
    ]
    with pytest.raises(ValidationError) as failed:
        baskets.basket_create(agency=two.agency, requests=requests)
    errors = failed.value.message_dict
    assert errors[f"copies_{two.title.pk}"] == ["Book at least one copy."]
    assert errors[f"copies_{two.second.pk}"] == [
        "The title has 20 copies in all; you cannot book more."
    ]
    assert errors["ends_on"] == ["The return date is before the delivery date."]  # once
    assert not Booking.objects.exists()
    with pytest.raises(ValidationError, match="twice"):
        baskets.basket_create(agency=two.agency, requests=[requests[0], requests[0]])


def test_the_copies_of_a_basket_count_for_every_title(two: Any) -> None:
    start = next_monday()
    baskets.basket_create(
        agency=two.agency,
        requests=[
            request_for(two, two.title, copies=30, starts_on=start),
            request_for(two, two.second, copies=20, starts_on=start),
        ],
    )
    with pytest.raises(baskets.BasketShort) as short:
        baskets.basket_create(
            agency=two.agency,
            requests=[
                request_for(two, two.title, copies=1, starts_on=start + timedelta(days=7)),
                request_for(two, two.second, copies=1, starts_on=start + timedelta(days=7)),
            ],
        )
    assert [(s.title, s.free) for s in short.value.shorts] == [(two.title, 0), (two.second, 0)]


def test_an_anonymised_basket_link_opens_nothing(two: Any, client_for: Any) -> None:
    from bokbro.classsets.privacy import booking_anonymise

    made = baskets.basket_create(
        agency=two.agency,
        requests=[request_for(two, two.title, copies=5), request_for(two, two.second, copies=5)],
    )
    baskets.basket_cancel(basket=made)
    client = client_for(None)
    assert client.get(f"/class-sets/basket/{made.token}/").status_code == 200
    for booking in made.bookings.all():
        booking_anonymise(booking)
    assert client.get(f"/class-sets/basket/{made.token}/").status_code == 404


def test_a_basket_takes_at_most_ten_titles(cs: Any, client_for: Any) -> None:
    client = client_for(None, language="en")
    titles = [make_title(cs, copies=5, isbn=f"97882021{i:04d}0", title=f"T{i}") for i in range(11)]
    fill_basket(client, *titles[:10])
    client.post(f"/class-sets/{titles[10].pk}/basket/")
    page = client.get("/class-sets/basket/").content.decode()
    assert "A basket holds at most 10 titles." in page
    assert "T10" not in page
    client.post("/class-sets/basket/", {"remove": str(titles[0].pk)})
    assert "Copies of “T0”" not in client.get("/class-sets/basket/").content.decode()
