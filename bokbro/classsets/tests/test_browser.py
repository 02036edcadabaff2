"""The class-set pages in a real browser: axe-core (WCAG 2.1 A and AA), the CSP, one <h1>, in
bokmål, nynorsk, Swedish and English; the booking form by keyboard alone. Uses the helpers of
the core browser tests."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from bokbro.classsets import baskets, services, waiting
from bokbro.classsets.models import HolidayPeriod, Theme
from bokbro.classsets.tests.conftest import (
    book,
    make_school,
    make_title,
    next_monday,
    request_for,
)
from bokbro.core.tests import test_browser as core
from bokbro.core.tests.test_browser import Browsing, Problems, session_for

pytestmark = pytest.mark.browser

browser = core.browser
axe_source = core.axe_source

LANGUAGES = ["nb", "nn", "sv", "en"]


@pytest.fixture
def classsets_site(world: Any) -> Any:
    world.school = make_school(world)
    theme = Theme.objects.create(agency=world.agency, name="Vennskap")
    title = make_title(world, copies=[30, 15], grade_bands=("4-5", "6-7"), easy_to_read=True)
    title.themes.add(theme)
    make_title(world, isbn="9788202111110", title="Brødrene Løvehjerte", author="Astrid Lindgren")
    HolidayPeriod.objects.create(
        agency=world.agency,
        name="Vinterferie",
        starts_on=next_monday(3),
        ends_on=next_monday(3) + timedelta(days=6),
    )
    held = book(world, title, copies=25)
    week = next_monday(1)
    sent = book(world, title, copies=5, starts_on=week, ends_on=week + timedelta(days=4))
    services.booking_check_out(actor=world.consultant, booking=sent, copies=5)
    book(
        world, title, copies=3, starts_on=week + timedelta(days=1), ends_on=week + timedelta(days=8)
    )
    year, number, _day = week.isocalendar()
    world.dispatch = f"/class-sets/staff/dispatch/?week={year}-W{number:02d}"
    world.title = title
    world.held = held
    world.basket = baskets.basket_create(
        agency=world.agency,
        requests=[request_for(world, title, copies=1, starts_on=next_monday(8))],
    )
    world.entry = waiting.queue_join(
        agency=world.agency, request=request_for(world, title, copies=30)
    )
    services.booking_confirm(booking=world.held)
    world.route = services.route_save(
        actor=world.consultant, agency=world.agency, name="Rute nord", libraries=[world.library]
    )
    return world


def check_pages(browsing: Browsing, language: str, who: str, pages: list[str]) -> None:
    for path in pages:
        browsing.visit(path)
        name = "-".join("id" if part.isdigit() else part for part in path.split("/") if part)
        name = re.sub(
            r"[^A-Za-z0-9-]+",
            "-",
            name.split("booking-")[0] + ("booking" if "booking/" in path else ""),
        )
        browsing.check(
            f"[{language}] {who} {path}",
            language=language,
            screenshot=f"{language}-{who}-{name[:40]}" if language in ("nb", "sv") else None,
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_class_set_pages_pass_axe(
    browser: Any, axe_source: str, live_server: Any, classsets_site: Any, language: str
) -> None:
    problems = Problems()
    site = classsets_site
    pk = site.title.pk
    teacher = Browsing(browser, live_server.url, axe_source, problems, language=language)
    try:
        check_pages(
            teacher,
            language,
            "teacher",
            [
                "/class-sets/",
                "/class-sets/?grade=4-5&easy=on",
                f"/class-sets/{pk}/",
                f"/class-sets/{pk}/book/",
                site.held.get_absolute_url(),
                site.basket.get_absolute_url(),
                site.entry.get_absolute_url(),
                "/class-sets/basket/",
            ],
        )
        # A title into the basket by keyboard; the basket's form then asks for its copies.
        teacher.visit(f"/class-sets/{pk}/")
        teacher.page.locator("main form button[type=submit]").first.focus()
        with teacher.page.expect_navigation():
            teacher.page.keyboard.press("Enter")
        if teacher.page.locator(f"#id_copies_{pk}").count() != 1:
            problems.add(f"[{language}] basket", "the title is not in the basket")
        teacher.check(
            f"[{language}] /class-sets/basket/ (one title)",
            language=language,
            screenshot=f"{language}-classsets-basket",
        )
        # The booking form by keyboard, asking for more copies than are free: the message
        # names the free quantity and offers other weeks.
        page = teacher.page
        path = f"/class-sets/{pk}/book/"
        teacher.visit(path)
        page.focus("#id_copies")
        page.keyboard.type("40")
        for _ in range(2):
            page.keyboard.press("Tab")
        page.fill("#id_class_name", "6B")
        page.fill("#id_contact_name", "Lise")
        page.fill("#id_contact_email", "lise@skole.example")
        page.select_option("#id_school", str(site.school.pk))
        page.select_option("#id_delivery_library", str(site.library.pk))
        page.locator("main button[type=submit]").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        where = f"[{language}] {path} (too many)"
        if page.locator("#id_copies[aria-invalid=true]").count() != 1:
            problems.add(where, "the number of copies is not marked aria-invalid")
        teacher.check(where, language=language, screenshot=f"{language}-classsets-book-invalid")
    finally:
        teacher.close()

    kari = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.consultant),
    )
    try:
        check_pages(
            kari,
            language,
            "consultant",
            [
                "/class-sets/staff/titles/",
                "/class-sets/staff/titles/new/",
                f"/class-sets/staff/titles/{pk}/",
                f"/class-sets/staff/titles/{pk}/sets/new/",
                "/class-sets/staff/titles/import/",
                "/class-sets/staff/themes/",
                "/class-sets/staff/rules/",
                "/class-sets/staff/routes/",
                f"/class-sets/staff/routes/{site.route.pk}/",
                "/class-sets/staff/bookings/",
                site.dispatch,
            ],
        )
    finally:
        kari.close()

    library = Browsing(
        browser,
        live_server.url,
        axe_source,
        problems,
        language=language,
        session_key=session_for(site.staff),
    )
    try:
        check_pages(library, language, "library", [site.dispatch, "/class-sets/staff/bookings/"])
    finally:
        library.close()
    problems.assert_none()
