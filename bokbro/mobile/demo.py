"""Demo content of the mobile library, loaded by `manage.py load_demo`. Idempotent: a vehicle
found by name is left as it is.

Bibliotekutvikling Østfold: two bokbusser, Indre Østfold and Grenseland (Halden, Aremark,
Marker), visiting schools, kindergartens, care homes and villages every two or every four weeks
over the school year 2026-27, with the autumn, Christmas, winter and Easter holidays entered.
Region Jönköping: the bokbussar of Jönköping and Gislaved in the same way, with höstlov,
jullov, sportlov and påsklov. The timetable in use (terms, a cancellation, an extra visit,
counts and followers) comes from mobile/demo_season.py.

Size: one table of demo data, read top to bottom.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from bokbro.directory.models import Agency, Municipality
from bokbro.mobile import demo_season, services
from bokbro.mobile.models import Route, SchoolHoliday, Stop, StopKind, Vehicle, Visit

S, K, C, P = StopKind.SCHOOL, StopKind.KINDERGARTEN, StopKind.CARE_HOME, StopKind.PUBLIC
TERM = (date(2026, 8, 17), date(2027, 6, 18))

# (vehicle, operator, accessibility, [(route, first date, weeks between, [(stop, kind,
# municipality, place, lat, lon, arrival, minutes)])])
NORWAY: list[Any] = [
    (
        "Bokbussen Indre Østfold",
        "Indre Østfold kommune",
        "Heis bak i bussen; plass til rullestol.",
        [
            (
                "Mandag uke 1",
                date(2026, 8, 17),
                2,
                [
                    (
                        "Hærland skole",
                        S,
                        "Indre Østfold",
                        "Hærland",
                        "59.5126",
                        "11.3690",
                        "08:45",
                        60,
                    ),
                    (
                        "Hærland barnehage",
                        K,
                        "Indre Østfold",
                        "Hærland",
                        "59.5141",
                        "11.3722",
                        "10:00",
                        40,
                    ),
                    (
                        "Båstad butikk",
                        P,
                        "Indre Østfold",
                        "Båstad",
                        "59.6125",
                        "11.2876",
                        "11:15",
                        45,
                    ),
                    (
                        "Trøgstad sykehjem",
                        C,
                        "Indre Østfold",
                        "Trøgstad",
                        "59.6355",
                        "11.3213",
                        "12:30",
                        45,
                    ),
                    (
                        "Skjønhaug torg",
                        P,
                        "Indre Østfold",
                        "Skjønhaug",
                        "59.6410",
                        "11.3150",
                        "14:00",
                        90,
                    ),
                ],
            ),
            (
                "Mandag uke 2",
                date(2026, 8, 24),
                2,
                [
                    ("Ørje skole", S, "Marker", "Ørje", "59.4818", "11.6547", "08:45", 75),
                    ("Ørje barnehage", K, "Marker", "Ørje", "59.4835", "11.6580", "10:15", 30),
                    ("Rømskog", P, "Indre Østfold", "Rømskog", "59.7269", "11.8260", "11:30", 60),
                    (
                        "Eidsberg omsorgssenter",
                        C,
                        "Indre Østfold",
                        "Mysen",
                        "59.5673",
                        "11.3260",
                        "13:15",
                        45,
                    ),
                ],
            ),
            (
                "Torsdag, hver fjerde uke",
                date(2026, 8, 20),
                4,
                [
                    (
                        "Rakkestad ungdomsskole",
                        S,
                        "Rakkestad",
                        "Rakkestad",
                        "59.4262",
                        "11.3446",
                        "09:00",
                        60,
                    ),
                    ("Degernes", P, "Rakkestad", "Degernes", "59.3568", "11.4431", "10:30", 45),
                    (
                        "Rakkestad sykehjem",
                        C,
                        "Rakkestad",
                        "Rakkestad",
                        "59.4289",
                        "11.3392",
                        "12:00",
                        45,
                    ),
                ],
            ),
        ],
    ),
    (
        "Bokbussen Grenseland",
        "Halden kommune",
        "Lav inngang; ingen heis.",
        [
            (
                "Tirsdag uke 1",
                date(2026, 8, 18),
                2,
                [
                    ("Idd skole", S, "Halden", "Idd", "59.0917", "11.4352", "08:30", 60),
                    (
                        "Tistedal barnehage",
                        K,
                        "Halden",
                        "Tistedal",
                        "59.1285",
                        "11.4471",
                        "09:45",
                        40,
                    ),
                    ("Aremark skole", S, "Aremark", "Fosby", "59.2270", "11.6925", "11:00", 60),
                    ("Aremark sykehjem", C, "Aremark", "Fosby", "59.2288", "11.6870", "12:15", 45),
                ],
            ),
            (
                "Tirsdag uke 2",
                date(2026, 8, 25),
                2,
                [
                    (
                        "Prestebakke skole",
                        S,
                        "Halden",
                        "Prestebakke",
                        "59.0062",
                        "11.5330",
                        "08:45",
                        60,
                    ),
                    ("Ende butikk", P, "Halden", "Ende", "59.0425", "11.4856", "10:00", 45),
                    (
                        "Kvernhuset barnehage",
                        K,
                        "Halden",
                        "Halden",
                        "59.1163",
                        "11.3710",
                        "11:15",
                        40,
                    ),
                    ("Halden sykehjem", C, "Halden", "Halden", "59.1240", "11.3870", "12:30", 60),
                ],
            ),
            (
                "Onsdag, hver fjerde uke",
                date(2026, 8, 19),
                4,
                [
                    ("Øymark skole", S, "Marker", "Øymark", "59.3960", "11.6580", "09:00", 60),
                    (
                        "Marker bo- og servicesenter",
                        C,
                        "Marker",
                        "Ørje",
                        "59.4800",
                        "11.6490",
                        "10:30",
                        45,
                    ),
                ],
            ),
        ],
    ),
]
NORWAY_HOLIDAYS = [
    ("Høstferie", date(2026, 10, 5), date(2026, 10, 9)),
    ("Juleferie", date(2026, 12, 21), date(2027, 1, 1)),
    ("Vinterferie", date(2027, 3, 1), date(2027, 3, 5)),
    ("Påskeferie", date(2027, 3, 22), date(2027, 3, 29)),
]
SWEDEN: list[Any] = [
    (
        "Bokbussen Jönköping",
        "Jönköpings kommun",
        "Lift för rullstol och rullator.",
        [
            (
                "Tisdag vecka 1",
                date(2026, 8, 18),
                2,
                [
                    (
                        "Bankeryds skola",
                        S,
                        "Jönköping",
                        "Bankeryd",
                        "57.8617",
                        "14.1231",
                        "08:30",
                        60,
                    ),
                    (
                        "Förskolan Solgläntan",
                        K,
                        "Jönköping",
                        "Bankeryd",
                        "57.8560",
                        "14.1290",
                        "09:45",
                        40,
                    ),
                    ("Kaxholmen", P, "Jönköping", "Kaxholmen", "57.8545", "14.3017", "11:00", 45),
                    (
                        "Äldreboendet Ekhagen",
                        C,
                        "Jönköping",
                        "Jönköping",
                        "57.7700",
                        "14.2180",
                        "12:30",
                        45,
                    ),
                ],
            ),
            (
                "Tisdag vecka 2",
                date(2026, 8, 25),
                2,
                [
                    (
                        "Tenhults skola",
                        S,
                        "Jönköping",
                        "Tenhult",
                        "57.7056",
                        "14.3310",
                        "08:45",
                        60,
                    ),
                    ("Lekeryd", P, "Jönköping", "Lekeryd", "57.6630", "14.4360", "10:15", 45),
                    (
                        "Äldreboendet Lundahemmet",
                        C,
                        "Jönköping",
                        "Jönköping",
                        "57.7790",
                        "14.1830",
                        "11:45",
                        45,
                    ),
                ],
            ),
            (
                "Torsdag var fjärde vecka",
                date(2026, 8, 20),
                4,
                [
                    (
                        "Hovslätts skola",
                        S,
                        "Jönköping",
                        "Hovslätt",
                        "57.7290",
                        "14.1350",
                        "09:00",
                        60,
                    ),
                    (
                        "Förskolan Skogsgläntan",
                        K,
                        "Jönköping",
                        "Hovslätt",
                        "57.7270",
                        "14.1420",
                        "10:15",
                        40,
                    ),
                ],
            ),
        ],
    ),
    (
        "Bokbussen Gislaved",
        "Gislaveds kommun",
        "Låg insteg; ingen lift.",
        [
            (
                "Onsdag vecka 1",
                date(2026, 8, 19),
                2,
                [
                    (
                        "Burseryds skola",
                        S,
                        "Gislaved",
                        "Burseryd",
                        "57.1950",
                        "13.2760",
                        "08:45",
                        60,
                    ),
                    ("Skeppshult", P, "Gislaved", "Skeppshult", "57.1250", "13.3870", "10:00", 45),
                    (
                        "Smålandsstenars äldreboende",
                        C,
                        "Gislaved",
                        "Smålandsstenar",
                        "57.1640",
                        "13.4110",
                        "11:15",
                        45,
                    ),
                ],
            ),
            (
                "Onsdag vecka 2",
                date(2026, 8, 26),
                2,
                [
                    ("Reftele skola", S, "Gislaved", "Reftele", "57.1790", "13.5900", "08:45", 60),
                    (
                        "Förskolan Ekorren",
                        K,
                        "Gislaved",
                        "Reftele",
                        "57.1810",
                        "13.5960",
                        "10:00",
                        40,
                    ),
                    ("Hestra torg", P, "Gislaved", "Hestra", "57.4400", "13.5960", "11:15", 60),
                ],
            ),
            (
                "Fredag var fjärde vecka",
                date(2026, 8, 21),
                4,
                [
                    (
                        "Gnosjö äldreboende",
                        C,
                        "Gnosjö",
                        "Gnosjö",
                        "57.3580",
                        "13.7360",
                        "09:30",
                        45,
                    ),
                    ("Hillerstorp", P, "Gnosjö", "Hillerstorp", "57.3140", "13.8830", "10:45", 60),
                ],
            ),
        ],
    ),
]
SWEDEN_HOLIDAYS = [
    ("Höstlov", date(2026, 10, 26), date(2026, 10, 30)),
    ("Jullov", date(2026, 12, 21), date(2027, 1, 8)),
    ("Sportlov", date(2027, 2, 15), date(2027, 2, 19)),
    ("Påsklov", date(2027, 3, 29), date(2027, 4, 2)),
]


def _vehicle(agency: Agency, actor: Any, spec: Any) -> bool:
    name, operator, accessibility, routes = spec
    if Vehicle.objects.filter(agency=agency, name=name).exists():
        return False
    common = {"actor": actor, "agency": agency}
    vehicle = services.vehicle_save(
        vehicle=Vehicle(name=name, operator=operator, accessibility=accessibility), **common
    )
    for route_name, first, weeks, stops in routes:
        route = services.route_save(route=Route(vehicle=vehicle, name=route_name), **common)
        for stop_name, kind, place_name, community, lat, lon, arrival, minutes in stops:
            place = Municipality.objects.filter(country=agency.country, name=place_name).first()
            stop = Stop.objects.filter(agency=agency, community=community, name=stop_name).first()
            if stop is None:
                stop = services.stop_save(
                    stop=Stop(
                        name=stop_name,
                        kind=kind,
                        community=community,
                        municipality=place,
                        latitude=Decimal(lat),
                        longitude=Decimal(lon),
                    ),
                    **common,
                )
            starts = time.fromisoformat(arrival)
            departs = (datetime.combine(first, starts) + timedelta(minutes=minutes)).time()
            services.visit_save(
                visit=Visit(
                    route=route,
                    stop=stop,
                    arrival=starts,
                    departure=departs,
                    rule=f"FREQ=WEEKLY;INTERVAL={weeks}",
                    starts_on=first,
                    ends_on=TERM[1],
                ),
                **common,
            )
    return True


@transaction.atomic
def load() -> list[str]:
    lines = []
    for slug, vehicles, holidays in (
        ("ostfold", NORWAY, NORWAY_HOLIDAYS),
        ("jonkoping", SWEDEN, SWEDEN_HOLIDAYS),
    ):
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            continue
        member = agency.team.exclude(user=None).order_by("position", "pk").first()
        actor = member.user if member else None
        for name, first, last in holidays:
            if not SchoolHoliday.objects.filter(agency=agency, name=name, starts_on=first).exists():
                services.holiday_save(
                    actor=actor,
                    agency=agency,
                    holiday=SchoolHoliday(name=name, starts_on=first, ends_on=last),
                )
        made = [spec[0] for spec in vehicles if _vehicle(agency, actor, spec)]
        made += demo_season.load(agency, actor, [spec[0] for spec in vehicles])
        if made:
            lines.append(f"Mobile library for {agency.name}: {', '.join(made)}")
    return lines
