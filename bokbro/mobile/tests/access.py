"""The mobile library's rows of the access matrix (core/tests/test_access_matrix.py).

The timetable in `setup` is the Norwegian agency's: public on its own site, not found on the
Swedish site; its staff pages are for the Norwegian agency's team. The Swedish consultant at
home (`outsider_home`) creates vehicles, holidays and imports for his own agency, but cannot
use the Norwegian vehicle or municipality in his forms (200: the form again, with an error).
"""

from __future__ import annotations

import io
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bokbro.core.tests.access_roles import (
    LOGIN,
    ON_OWN_SITE,
    OPEN,
    TEAM_GET,
    TEAM_OBJECT,
    TEAM_POST_ONLY,
)
from bokbro.mobile import services
from bokbro.mobile.models import (
    Cancellation,
    ExtraVisit,
    Follower,
    PauseKinds,
    Route,
    SchoolHoliday,
    Stop,
    StopKind,
    Term,
    Vehicle,
    Visit,
    VisitCount,
)

PENDING_EMAIL = "venter.pa.bussen@example.org"
FOLLOWER_EMAIL = "folger.stoppet@example.org"

# POST-only for the agency's staff, each for their own agency (the outsider at home too).
TEAM_POST_ONLY_OWN = (LOGIN, 403, 403, 403, 405, 405, 403, 405)
CREATE_OWN = (LOGIN, 403, 403, 403, 302, 302, 403, 302)
CREATE_WITH_OURS = (LOGIN, 403, 403, 403, 302, 302, 403, 200)
OWNER_CHANGES = (LOGIN, 403, 403, 403, 302, 302, 403, 403)

GET_EXPECTED: dict[str, tuple[Any, ...]] = {
    "mobile:index": OPEN,
    "mobile:municipality": ON_OWN_SITE,
    "mobile:municipality_pdf": ON_OWN_SITE,
    "mobile:route_pdf": ON_OWN_SITE,
    "mobile:stop": ON_OWN_SITE,
    "mobile:stop_ics": ON_OWN_SITE,
    "mobile:route": ON_OWN_SITE,
    "mobile:route_ics": ON_OWN_SITE,
    "mobile:vehicle": ON_OWN_SITE,
    "mobile:vehicle_ics": ON_OWN_SITE,
    "mobile:follow": ON_OWN_SITE,
    "mobile:follow_sent": ON_OWN_SITE,
    "mobile:unfollowed": ON_OWN_SITE,
    "mobile:follow_confirm": OPEN,
    "mobile:unfollow": OPEN,
    "mobile:staff": TEAM_GET,
    "mobile:vehicle_create": TEAM_GET,
    "mobile:vehicle_edit": TEAM_OBJECT,
    "mobile:route_create": TEAM_GET,
    "mobile:route_edit": TEAM_OBJECT,
    "mobile:visit_create": TEAM_OBJECT,
    "mobile:stop_create": TEAM_GET,
    "mobile:stop_edit": TEAM_OBJECT,
    "mobile:visit_edit": TEAM_OBJECT,
    "mobile:visit_delete": TEAM_POST_ONLY,
    "mobile:visit_cancel": TEAM_POST_ONLY,
    "mobile:visit_count": TEAM_POST_ONLY,
    "mobile:extra_create": TEAM_OBJECT,
    "mobile:extra_delete": TEAM_POST_ONLY,
    "mobile:terms": TEAM_GET,
    "mobile:term_edit": TEAM_OBJECT,
    "mobile:term_copy": TEAM_OBJECT,
    "mobile:holidays": TEAM_GET,
    "mobile:pause_kinds": TEAM_POST_ONLY_OWN,
    "mobile:holiday_delete": TEAM_POST_ONLY,
    "mobile:import": TEAM_GET,
    "mobile:export": TEAM_GET,
    "api:mobile_stops": OPEN,
    "api:mobile_routes": OPEN,
    "api:mobile_changes": OPEN,
    "api:mobile_stop_visits": ON_OWN_SITE,
}

POST_EXPECTED: dict[str, tuple[Any, ...]] = {
    "mobile:follow": (302,) * 7 + (404,),
    # The links in the mails are the key, on any of the install's sites.
    "mobile:follow_confirm": (302,) * 8,
    "mobile:unfollow": (302,) * 8,
    "mobile:vehicle_create": CREATE_OWN,
    "mobile:vehicle_edit": OWNER_CHANGES,
    "mobile:route_create": CREATE_WITH_OURS,
    "mobile:route_edit": OWNER_CHANGES,
    "mobile:visit_create": OWNER_CHANGES,
    "mobile:stop_create": CREATE_WITH_OURS,
    "mobile:stop_edit": OWNER_CHANGES,
    "mobile:visit_edit": OWNER_CHANGES,
    "mobile:visit_delete": OWNER_CHANGES,
    "mobile:visit_cancel": OWNER_CHANGES,
    "mobile:visit_count": OWNER_CHANGES,
    "mobile:extra_create": OWNER_CHANGES,
    "mobile:extra_delete": OWNER_CHANGES,
    "mobile:terms": CREATE_OWN,
    "mobile:term_edit": OWNER_CHANGES,
    "mobile:term_copy": OWNER_CHANGES,
    "mobile:holidays": CREATE_OWN,
    "mobile:pause_kinds": CREATE_OWN,
    "mobile:holiday_delete": OWNER_CHANGES,
    "mobile:import": CREATE_OWN,
}

READ_ONLY = {"mobile:staff", "mobile:export"}

OBJECT_URLS = [
    "mobile:municipality",
    "mobile:municipality_pdf",
    "mobile:route_pdf",
    "mobile:stop",
    "mobile:stop_ics",
    "mobile:route",
    "mobile:route_ics",
    "mobile:vehicle",
    "mobile:vehicle_ics",
    "mobile:follow",
    "mobile:follow_sent",
    "mobile:unfollowed",
    "mobile:follow_confirm",
    "mobile:unfollow",
    "mobile:vehicle_edit",
    "mobile:route_edit",
    "mobile:visit_create",
    "mobile:stop_edit",
    "mobile:visit_edit",
    "mobile:visit_delete",
    "mobile:visit_cancel",
    "mobile:visit_count",
    "mobile:extra_create",
    "mobile:extra_delete",
    "mobile:holiday_delete",
    "mobile:term_edit",
    "mobile:term_copy",
    "api:mobile_stop_visits",
]

CSV = (
    "organisation,mobile,route,community,stop,address,postcode,geox,geoy,day,type,arrival,"
    "departure,frequency,start,end,exceptions,timetable\n"
    "Region,Bokbussen,Tisdag,Värnamo,Torget,,,14.04,57.18,Tuesday,Public,10:00,10:30,"
    "FREQ=WEEKLY;INTERVAL=2,2026-08-18,,,\n"
).encode()


class RewindingFile(io.BytesIO):
    """An upload the test client can send once per role (it reads without seeking back)."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read()


def setup(site: Any) -> dict[str, Any]:
    w = site.world
    common = {"actor": w.consultant, "agency": w.agency}
    vehicle = services.vehicle_save(vehicle=Vehicle(name="Bokbussen"), **common)
    route = services.route_save(route=Route(vehicle=vehicle, name="Tirsdag uke 1"), **common)
    stop = services.stop_save(
        stop=Stop(
            name="Gressvik skole",
            kind=StopKind.SCHOOL,
            municipality=w.municipality,
            latitude=Decimal("59.2"),
            longitude=Decimal("10.9"),
        ),
        **common,
    )
    other_stop = services.stop_save(stop=Stop(name="Torvet", municipality=w.municipality), **common)
    visit = services.visit_save(
        visit=Visit(
            route=route,
            stop=stop,
            arrival=time(10, 50),
            departure=time(11, 5),
            rule="FREQ=WEEKLY;INTERVAL=2",
            starts_on=date(2026, 8, 18),
        ),
        **common,
    )
    holiday = services.holiday_save(
        holiday=SchoolHoliday(
            name="Høstferie", starts_on=date(2026, 9, 28), ends_on=date(2026, 10, 2)
        ),
        **common,
    )
    term = services.term_save(
        term=Term(name="Våren 2027", starts_on=date(2027, 1, 4), ends_on=date(2027, 6, 18)),
        **common,
    )
    extra = services.extra_save(
        extra=ExtraVisit(
            route=route,
            stop=other_stop,
            date=date(2026, 12, 10),
            arrival=time(13, 0),
            departure=time(13, 30),
            reason="Ekstra i adventstida",
        ),
        **common,
    )
    pending = Follower.objects.create(
        agency=w.agency, stop=stop, email=PENDING_EMAIL, language="nb"
    )
    follower = Follower.objects.create(
        agency=w.agency, stop=stop, email=FOLLOWER_EMAIL, language="nb", confirmed_at=timezone.now()
    )
    return {
        "extra": extra,
        "term": term,
        "pending": pending,
        "follower": follower,
        "vehicle": vehicle,
        "route": route,
        "stop": stop,
        "other_stop": other_stop,
        "visit": visit,
        "holiday": holiday,
    }


def url_kwargs(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    return {
        "mobile:municipality": {"pk": site.world.municipality.pk},
        "mobile:municipality_pdf": {"pk": site.world.municipality.pk},
        "mobile:route_pdf": {"pk": objects["route"].pk},
        "mobile:stop": {"pk": objects["stop"].pk},
        "mobile:stop_ics": {"pk": objects["stop"].pk},
        "mobile:route": {"pk": objects["route"].pk},
        "mobile:route_ics": {"pk": objects["route"].pk},
        "mobile:vehicle": {"pk": objects["vehicle"].pk},
        "mobile:vehicle_ics": {"pk": objects["vehicle"].pk},
        "mobile:follow": {"pk": objects["stop"].pk},
        "mobile:follow_sent": {"pk": objects["stop"].pk},
        "mobile:unfollowed": {"pk": objects["stop"].pk},
        "mobile:follow_confirm": {"token": objects["pending"].token},
        "mobile:unfollow": {"token": objects["follower"].token},
        "mobile:vehicle_edit": {"pk": objects["vehicle"].pk},
        "mobile:route_edit": {"pk": objects["route"].pk},
        "mobile:visit_create": {"pk": objects["route"].pk},
        "mobile:stop_edit": {"pk": objects["stop"].pk},
        "mobile:visit_edit": {"pk": objects["visit"].pk},
        "mobile:visit_delete": {"pk": objects["visit"].pk},
        "mobile:visit_cancel": {"pk": objects["visit"].pk},
        "mobile:visit_count": {"pk": objects["visit"].pk},
        "mobile:extra_create": {"pk": objects["route"].pk},
        "mobile:extra_delete": {"pk": objects["extra"].pk},
        "mobile:holiday_delete": {"pk": objects["holiday"].pk},
        "mobile:term_edit": {"pk": objects["term"].pk},
        "mobile:term_copy": {"pk": objects["term"].pk},
        "api:mobile_stop_visits": {"stop_id": objects["stop"].pk},
    }.get(name, {})


def visit_form(stop: Stop, **overrides: Any) -> dict[str, Any]:
    data = {
        "term": "",
        "stop": stop.pk,
        "arrival": "12:00",
        "departure": "12:30",
        "starts_on": "2026-08-18",
        "ends_on": "",
        "pattern": "weeks",
        "interval": "2",
        "ordinal": "",
        "rule": "",
    }
    data.update(overrides)
    return data


def post_data(name: str, site: Any, objects: dict[str, Any]) -> dict[str, Any]:
    w = site.world
    stop = {
        "name": "Sykehjemmet",
        "kind": "care_home",
        "municipality": w.municipality.pk,
        "community": "Gressvik",
        "address": "",
        "postcode": "",
        "latitude": "59.21",
        "longitude": "10.91",
        "note": "",
    }
    return {
        "mobile:follow": {"email": "ny.leser@example.org"},
        "mobile:vehicle_create": {
            "name": "Bokbuss 2",
            "operator": "",
            "contact": "",
            "accessibility": "",
        },
        "mobile:vehicle_edit": {
            "name": "Bokbussen",
            "operator": "Fylkeskommunen",
            "contact": "",
            "accessibility": "Heis",
        },
        "mobile:route_create": {"vehicle": objects["vehicle"].pk, "name": "Onsdag"},
        "mobile:route_edit": {"vehicle": objects["vehicle"].pk, "name": "Tirsdag uke 2"},
        "mobile:visit_create": visit_form(objects["other_stop"]),
        "mobile:stop_create": stop,
        "mobile:stop_edit": stop | {"name": "Gressvik skole", "kind": "school"},
        "mobile:visit_edit": visit_form(objects["stop"], arrival="10:45", departure="11:05"),
        "mobile:visit_cancel": {"date": "2026-12-08", "reason": "Verksted"},
        "mobile:visit_count": {
            "date": "2026-09-01",
            "loans": "34",
            "returns": "29",
            "visitors": "18",
        },
        "mobile:extra_create": {
            "stop": objects["other_stop"].pk,
            "date": "2026-12-09",
            "arrival": "14:00",
            "departure": "14:30",
            "reason": "Vinterferie",
        },
        "mobile:terms": {
            "name": "Høsten 2027",
            "starts_on": "2027-08-16",
            "ends_on": "2027-12-17",
            "publish_on": "",
        },
        "mobile:term_edit": {
            "name": "Våren 2027",
            "starts_on": "2027-01-04",
            "ends_on": "2027-06-18",
            "publish_on": "2026-12-15",
        },
        "mobile:term_copy": {
            "name": "Våren 2028",
            "starts_on": "2028-01-03",
            "ends_on": "2028-06-16",
        },
        "mobile:pause_kinds": {"kinds": ["school", "kindergarten", "care_home"]},
        "mobile:holidays": {
            "name": "Juleferie",
            "starts_on": "2026-12-21",
            "ends_on": "2027-01-03",
        },
        "mobile:import": {"file": RewindingFile(CSV, "turlista.csv")},
    }.get(name, {})


def database_state() -> dict[str, list[Any]]:
    return {
        "vehicles": list(Vehicle.objects.order_by("pk").values()),
        "routes": list(Route.objects.order_by("pk").values()),
        "stops": list(Stop.objects.order_by("pk").values()),
        "visits": list(Visit.objects.order_by("pk").values()),
        "cancellations": list(Cancellation.objects.order_by("pk").values()),
        "holidays": list(SchoolHoliday.objects.order_by("pk").values()),
        "followers": list(Follower.objects.order_by("pk").values()),
        "extras": list(ExtraVisit.objects.order_by("pk").values()),
        "terms": list(Term.objects.order_by("pk").values()),
        "pause_kinds": list(PauseKinds.objects.order_by("pk").values()),
        "counts": list(VisitCount.objects.order_by("pk").values("visit", "date", "loans")),
    }


def hidden_texts(role: str, site: Any, objects: dict[str, Any]) -> list[str]:
    """The timetable holds no personal data; the addresses that follow a stop are shown to
    nobody, not even on the pages their own links open."""
    return [PENDING_EMAIL, FOLLOWER_EMAIL]
