"""The class sets' rows of the access matrix (core/tests/test_access_matrix.py).

The title and the booking in `setup` are the Norwegian agency's; the booking goes to
Fredrikstad bibliotek, whose manager and staff see it with the agency's team. The personal
link is the teacher's credential: whoever holds it sees and confirms the booking.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from bokbro.classsets.models import (
    Basket,
    Booking,
    ClassSet,
    CourierRoute,
    HolidayPeriod,
    Loss,
    QueueEntry,
    RouteLibrary,
    Settings,
    Theme,
    Title,
)
from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
)

CONTACT_EMAIL = "laerer.lise@gressvik.example"
# The agency's team, and the staff of the library the booking goes to.
AREA_GET = (LOGIN, 403, 200, 200, 200, 200, 403, 200)
AREA_POST_ONLY = (LOGIN, 403, 405, 405, 405, 405, 403, 403)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "classsets:catalogue": OPEN,
    "classsets:title": ON_OWN_SITE,
    "classsets:cover": ON_OWN_SITE,
    "classsets:book": ON_OWN_SITE,
    "classsets:booking": ON_OWN_SITE,
    "classsets:booking_confirm": (405,) * 8,
    "classsets:booking_cancel": (405,) * 8,
    "classsets:basket_add": (405,) * 8,
    "classsets:booking_renew": (405,) * 8,
    "classsets:queue_entry": ON_OWN_SITE,
    "classsets:queue_leave": (405,) * 8,
    "classsets:basket": OPEN,
    "classsets:basket_booking": ON_OWN_SITE,
    "classsets:basket_confirm": (405,) * 8,
    "classsets:basket_cancel": (405,) * 8,
    "classsets:staff_titles": TEAM_GET,
    "classsets:title_create": TEAM_GET,
    "classsets:title_edit": TEAM_OBJECT,
    "classsets:set_add": TEAM_OBJECT,
    "classsets:set_edit": TEAM_OBJECT,
    "classsets:themes": TEAM_GET,
    "classsets:rules": TEAM_GET,
    "classsets:routes": TEAM_GET,
    "classsets:route_edit": (LOGIN, 403, 403, 403, 200, 200, 403, 404),
    "classsets:route_delete": (LOGIN, 403, 403, 403, 405, 405, 403, 404),
    "classsets:catalogue_import": TEAM_GET,
    "classsets:catalogue_export": TEAM_GET,
    "classsets:holiday_delete": (LOGIN, 403, 403, 403, 405, 405, 403, 404),
    "classsets:bookings": AREA_GET,
    "classsets:dispatch": AREA_GET,
    "classsets:packing_slips": AREA_GET,
    "classsets:packing_slip": (LOGIN, 403, 200, 200, 200, 200, 403, 403),
    "classsets:check_out": AREA_POST_ONLY,
    "classsets:check_in": AREA_POST_ONLY,
    "api:classset_titles": OPEN,
    "api:classset_schools": OPEN,
    "api:classset_availability": ON_OWN_SITE,
    "api:classset_book": (405,) * 8,
    "api:classset_basket": (405,) * 8,
    "api:classset_queue": (405,) * 8,
}

TEAM_CHANGES = (LOGIN, 403, 403, 403, 302, 302, 403, 403)
POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    # Anyone books on the agency's site; the Swedish site has no such title.
    "classsets:book": (302, 302, 302, 302, 302, 302, 302, 404),
    "classsets:booking_confirm": (302, 302, 302, 302, 302, 302, 302, 404),
    "classsets:booking_cancel": (302, 302, 302, 302, 302, 302, 302, 404),
    # Adding to and taking out of the basket change only the visitor's session (test_basket.py).
    "classsets:basket_confirm": (302, 302, 302, 302, 302, 302, 302, 404),
    "classsets:booking_renew": (302, 302, 302, 302, 302, 302, 302, 404),
    "classsets:queue_leave": (302, 302, 302, 302, 302, 302, 302, 404),
    "classsets:basket_cancel": (302, 302, 302, 302, 302, 302, 302, 404),
    # The Swedish consultant at home adds to his own agency's catalogue.
    "classsets:title_create": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "classsets:themes": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "classsets:catalogue_import": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "classsets:rules": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "classsets:holiday_delete": (LOGIN, 403, 403, 403, 302, 302, 403, 404),
    # The Swedish consultant adds a route to his own agency; another's route is not found.
    "classsets:routes": (LOGIN, 403, 403, 403, 302, 302, 403, 302),
    "classsets:route_edit": (LOGIN, 403, 403, 403, 302, 302, 403, 404),
    "classsets:route_delete": (LOGIN, 403, 403, 403, 302, 302, 403, 404),
    "classsets:title_edit": TEAM_CHANGES,
    "classsets:set_add": TEAM_CHANGES,
    "classsets:set_edit": TEAM_CHANGES,
    "classsets:check_out": (LOGIN, 403, 302, 302, 302, 302, 403, 403),
    "classsets:check_in": (LOGIN, 403, 302, 302, 302, 302, 403, 403),
}

READ_ONLY = {
    "classsets:staff_titles",
    "classsets:bookings",
    "classsets:dispatch",
    "classsets:packing_slips",
    "classsets:packing_slip",
    "classsets:catalogue_export",
}

OBJECT_URLS = [
    "classsets:title",
    "classsets:cover",
    "classsets:book",
    "classsets:booking",
    "classsets:booking_confirm",
    "classsets:booking_cancel",
    "classsets:basket_add",
    "classsets:booking_renew",
    "classsets:queue_entry",
    "classsets:queue_leave",
    "classsets:basket_booking",
    "classsets:basket_confirm",
    "classsets:basket_cancel",
    "classsets:title_edit",
    "classsets:set_add",
    "classsets:set_edit",
    "classsets:holiday_delete",
    "classsets:route_edit",
    "classsets:route_delete",
    "classsets:check_out",
    "classsets:check_in",
    "classsets:packing_slip",
    "api:classset_availability",
]


IMPORT_CSV = (
    b"isbn,title,author,publisher,year,language,easy_to_read,audiobook,ebook,grades,themes,"
    b"summary,sets\n9788202399979,Ny bok,Forfatter,,2020,nb,no,no,no,6-7,,,12\n"
)


class RewindingFile(io.BytesIO):
    """An upload the test client can send once per role (it reads without seeking back)."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read()


def setup(site: Any) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from bokbro.classsets import baskets, services, waiting
    from bokbro.classsets.tests.conftest import make_school, make_title, next_monday, request_for

    w = site.world
    w.school = make_school(w)
    title = make_title(w, copies=30)
    title.cover.save("omslag.png", ContentFile(PNG))
    class_set = title.sets.get()
    request = request_for(w, title, copies=10, contact_email=CONTACT_EMAIL)
    booking = services.booking_create(agency=w.agency, request=request)
    sent = services.booking_create(
        agency=w.agency,
        request=request_for(w, title, copies=5, starts_on=next_monday(8)),
    )
    services.booking_check_out(actor=w.consultant, booking=sent, copies=5)
    entry = waiting.queue_join(agency=w.agency, request=request_for(w, title, copies=30))
    basket = baskets.basket_create(
        agency=w.agency,
        requests=[request_for(w, title, copies=1, starts_on=next_monday(14))],
    )
    Theme.objects.create(agency=w.agency, name="Vennskap")
    holiday = HolidayPeriod.objects.create(
        agency=w.agency,
        name="Vinterferie",
        starts_on=next_monday(20),
        ends_on=next_monday(20) + timedelta(days=6),
    )
    route = services.route_save(
        actor=w.consultant, agency=w.agency, name="Rute nord", libraries=[w.library]
    )
    return {
        "route": route,
        "title": title,
        "set": class_set,
        "booking": booking,
        "sent": sent,
        "school": w.school,
        "holiday": holiday,
        "basket": basket,
        "entry": entry,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    pk = objects["title"].pk
    token = objects["booking"].token
    return {
        "classsets:title": {"pk": pk},
        "classsets:cover": {"pk": pk},
        "classsets:book": {"pk": pk},
        "classsets:booking": {"token": token},
        "classsets:booking_confirm": {"token": token},
        "classsets:booking_cancel": {"token": token},
        "classsets:basket_add": {"pk": pk},
        "classsets:booking_renew": {"token": objects["sent"].token},
        "classsets:queue_entry": {"token": objects["entry"].token},
        "classsets:queue_leave": {"token": objects["entry"].token},
        "classsets:basket_booking": {"token": objects["basket"].token},
        "classsets:basket_confirm": {"token": objects["basket"].token},
        "classsets:basket_cancel": {"token": objects["basket"].token},
        "classsets:title_edit": {"pk": pk},
        "classsets:set_add": {"pk": pk},
        "classsets:set_edit": {"pk": pk, "set_pk": objects["set"].pk},
        "classsets:holiday_delete": {"pk": objects["holiday"].pk},
        "classsets:route_edit": {"pk": objects["route"].pk},
        "classsets:route_delete": {"pk": objects["route"].pk},
        "classsets:check_out": {"pk": objects["booking"].pk},
        "classsets:check_in": {"pk": objects["sent"].pk},
        "classsets:packing_slip": {"pk": objects["booking"].pk},
        "api:classset_availability": {"title_id": pk},
    }.get(name, {})


def title_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "isbn": "978-82-02-39997-9",
        "title": "Ny bok",
        "author": "Forfatter",
        "publisher": "",
        "year": "2020",
        "language": "nb",
        "summary": "",
    }
    data.update(overrides)
    return data


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    from bokbro.classsets.tests.conftest import next_monday

    start = next_monday(12)
    return {
        "classsets:book": {
            "copies": "5",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=25)).isoformat(),
            "school": objects["school"].pk,
            "class_name": "7A",
            "contact_name": "Per Lærer",
            "contact_email": "per@skole.example",
            "delivery_library": site.world.library.pk,
        },
        "classsets:title_create": title_form(),
        "classsets:booking_renew": {
            "ends_on": (objects["sent"].ends_on + timedelta(days=7)).isoformat()
        },
        "classsets:title_edit": title_form(isbn=objects["title"].isbn, title="Nytt navn"),
        "classsets:themes": {"name": "Klima"},
        "classsets:catalogue_import": {"file": RewindingFile(IMPORT_CSV, "katalog.csv")},
        "classsets:rules": {
            "save_rules": "1",
            "default_weeks": "4",
            "max_weeks": "6",
            "hold_hours": "24",
            "replacement_price": "300",
            "offer_days": "3",
        },
        "classsets:set_add": {"copies": "12", "home_library": "", "condition_note": ""},
        "classsets:set_edit": {"copies": "31", "home_library": "", "condition_note": "Slitt"},
        "classsets:check_out": {"copies": "10"},
        "classsets:check_in": {"copies": "4", "note": "En mistet"},
        "classsets:routes": {"name": "Rute sør", "weekday": "2", "note": ""},
        "classsets:route_edit": {
            "name": "Rute nord",
            "weekday": "1",
            "note": "",
            "libraries": [site.world.library.pk],
        },
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "titles": list(Title.objects.order_by("pk").values()),
        "sets": list(ClassSet.objects.order_by("pk").values()),
        "bookings": list(Booking.objects.order_by("pk").values()),
        "losses": list(Loss.objects.order_by("pk").values()),
        "themes": list(Theme.objects.order_by("pk").values()),
        "settings": list(Settings.objects.order_by("pk").values()),
        "holidays": list(HolidayPeriod.objects.order_by("pk").values()),
        "baskets": list(Basket.objects.order_by("pk").values()),
        "queue": list(QueueEntry.objects.order_by("pk").values()),
        "routes": list(CourierRoute.objects.order_by("pk").values()),
        "route_libraries": list(RouteLibrary.objects.order_by("pk").values()),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The teacher's e-mail address: only for the team and the library the books go to (the
    library staff role works there)."""
    return [] if role == "staff" else [CONTACT_EMAIL]
