"""A small, hand-counted year for the follow-up and annual report tests.

The Norwegian agency (county 31: Fredrikstad, Sarpsborg and Halden, which has no library) in
2025, with the plan "Regional bibliotekplan 2024-2027":

  A "Det åpne biblioteket": goal A1 "Alle skal nå biblioteket", goal A2 "Sterke fagmiljø"
  B "Det lærende biblioteket": goal B1 "Lesing for alle"

Events (the first session in 2025 unless said):
  E1 "Bokprat for barn" (course, A1): 3 confirmed (2 Fredrikstad, 1 Sarpsborg), 1 cancelled,
     1 on the waiting list; the two from Fredrikstad marked present, the one from Sarpsborg
     absent; 2 certificates.
  E2 "Lesesirkelnettverk" (network meeting, A1 and B1): 1 confirmed (Sarpsborg), 1 awaiting the
     manager (Fredrikstad); attendance not marked.
  E3 "Digital kompetanse" (webinar, no goal): 1 confirmed, no library.
  E4 "Avlyst kurs" (A1): cancelled, 1 confirmed — not counted.
  E5 "Fjorårets kurs" (A1): in 2024 — not counted.
  → 3 events, 5 participants, 2 attended, attendance rate 2/3 = 67 %, 2 certificates.

Consultations: C1 visit at Fredrikstad bibliotek, 1.5 h (A2); C2 meeting with Sarpsborg
  municipality, 2 h (B1); C3 in 2024 — not counted. → 2 consultations, 3.5 hours.

Projects: P1 "Meråpne bibliotek" (running 2024-2026, B1, partner Fredrikstad bibliotek), funding
  for 2025: Nasjonalbiblioteket granted 300 000 (applied 400 000), Østfold fylkeskommune granted
  100 000, Østfold fylkeskommune 50 000 not yet decided, own staff time ("Egeninnsats", an own
  source) 80 000, and 120 000 of Nasjonalbiblioteket's money reported as spent; for 2026:
  Nasjonalbiblioteket 200 000.
  Measures: M1 done 2025-06-30 (A2), M2 done in 2024, M3 ongoing. P2 an idea — not counted.
  → 1 project, 1 measure done, 400 000 granted (300 000 + 100 000), 80 000 own funding (never
  granted), 550 000 applied for (400 000 + 100 000 + 50 000), 120 000 reported.

Municipal library plans: Fredrikstad 2020-2023 (current in 2025 under KB's rule), Sarpsborg
  2015-2020 (expired), Halden none (missing).
Indicator of A1: "Kommuner med gjeldende bibliotekplan", target 100 %, value 2025: 33.

Reached: Fredrikstad (2 participants, 1 consultation, 1 project) and Sarpsborg (2 participants,
1 consultation); Halden not reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bokbro.advisory.models import Consultation
from bokbro.directory.models import Municipality
from bokbro.events.models import (
    Attendance,
    Certificate,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from bokbro.plans.models import (
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    MunicipalPlan,
    Plan,
)
from bokbro.projects.models import (
    Funder,
    FundingLine,
    Measure,
    MeasureStatus,
    Partner,
    Project,
    ProjectStatus,
)

YEAR = 2025
OSLO = ZoneInfo("Europe/Oslo")


@dataclass
class Year:
    plan: Plan
    area_a: FocusArea
    area_b: FocusArea
    a1: Goal
    a2: Goal
    b1: Goal
    halden: Municipality
    events: dict[str, Event]
    consultations: dict[str, Consultation]
    project: Project


def make_plan(agency: Any, title: str = "Regional bibliotekplan 2024–2027") -> Any:
    plan = Plan.objects.create(agency=agency, title=title, starts_year=2024, ends_year=2027)
    area_a = FocusArea.objects.create(plan=plan, code="A", title="Det åpne biblioteket", order=1)
    area_b = FocusArea.objects.create(plan=plan, code="B", title="Det lærende biblioteket", order=2)
    a1 = Goal.objects.create(
        plan=plan, focus_area=area_a, code="A1", title="Alle skal nå biblioteket", order=1
    )
    a2 = Goal.objects.create(
        plan=plan, focus_area=area_a, code="A2", title="Sterke fagmiljø", order=2
    )
    b1 = Goal.objects.create(
        plan=plan, focus_area=area_b, code="B1", title="Lesing for alle", order=1
    )
    return plan, area_a, area_b, a1, a2, b1


def _event(world: Any, title: str, kind: str, day: date, status: str = EventStatus.PUBLISHED):
    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=OSLO)
    ends = datetime(day.year, day.month, day.day, 14, 0, tzinfo=OSLO)
    event = Event.objects.create(
        agency=world.agency,
        kind=kind,
        title=title,
        status=status,
        starts_at=starts,
        ends_at=ends,
        certificate_min_sessions=1,
    )
    Session.objects.create(event=event, starts_at=starts, ends_at=ends)
    return event


def _registration(event: Event, n: int, status: str, library: Any = None) -> Registration:
    return Registration.objects.create(
        event=event,
        name=f"Deltaker {event.pk}-{n}",
        email=f"deltaker{event.pk}-{n}@example.org",
        library=library,
        status=status,
        holds_seat=status in ("confirmed", "pending", "offered"),
    )


def make_year(world: Any) -> Year:
    agency, fredrikstad_lib, sarpsborg_lib = world.agency, world.library, world.other_library
    halden = Municipality.objects.create(
        country="NO", code="3101", name="Halden", county=world.county, population=31000
    )
    plan, area_a, area_b, a1, a2, b1 = make_plan(agency)

    e1 = _event(world, "Bokprat for barn", EventKind.COURSE, date(YEAR, 3, 12))
    e1.plan_goals.set([a1])
    session = e1.sessions.get()
    present = []
    for n, (status, library) in enumerate(
        [
            (RegistrationStatus.CONFIRMED, fredrikstad_lib),
            (RegistrationStatus.CONFIRMED, fredrikstad_lib),
            (RegistrationStatus.CONFIRMED, sarpsborg_lib),
            (RegistrationStatus.CANCELLED, sarpsborg_lib),
            (RegistrationStatus.WAITING, fredrikstad_lib),
        ]
    ):
        registration = _registration(e1, n, status, library)
        if n < 3:
            Attendance.objects.create(registration=registration, session=session, present=n < 2)
        if n < 2:
            present.append(registration)
    for registration in present:
        Certificate.objects.create(registration=registration, sessions_attended=1)

    e2 = _event(world, "Lesesirkelnettverk", EventKind.NETWORK_MEETING, date(YEAR, 9, 4))
    e2.plan_goals.set([a1, b1])
    _registration(e2, 0, RegistrationStatus.CONFIRMED, sarpsborg_lib)
    _registration(e2, 1, RegistrationStatus.PENDING_APPROVAL, fredrikstad_lib)

    e3 = _event(world, "Digital kompetanse", EventKind.WEBINAR, date(YEAR, 11, 20))
    _registration(e3, 0, RegistrationStatus.CONFIRMED, None)

    e4 = _event(world, "Avlyst kurs", EventKind.COURSE, date(YEAR, 5, 5), EventStatus.CANCELLED)
    e4.plan_goals.set([a1])
    _registration(e4, 0, RegistrationStatus.CONFIRMED, fredrikstad_lib)

    e5 = _event(world, "Fjorårets kurs", EventKind.COURSE, date(YEAR - 1, 10, 1))
    e5.plan_goals.set([a1])
    _registration(e5, 0, RegistrationStatus.CONFIRMED, fredrikstad_lib)

    def consultation(day: date, kind: str, hours: str, summary: str) -> Consultation:
        return Consultation.objects.create(
            agency=agency,
            date=day,
            kind=kind,
            consultant=world.consultant,
            hours=Decimal(hours),
            summary=summary,
        )

    c1 = consultation(date(YEAR, 2, 1), "visit", "1.5", "Besøk")
    c1.libraries.set([fredrikstad_lib])
    c1.plan_goals.set([a2])
    c2 = consultation(date(YEAR, 6, 1), "meeting", "2", "Møte med kommunen")
    c2.municipalities.set([world.other_library.municipality])
    c2.plan_goals.set([b1])
    c3 = consultation(date(YEAR - 1, 12, 31), "phone", "4", "Telefon i fjor")
    c3.libraries.set([sarpsborg_lib])
    c3.plan_goals.set([a2])

    project = Project.objects.create(
        agency=agency,
        title="Meråpne bibliotek",
        status=ProjectStatus.RUNNING,
        starts_on=date(2024, 1, 1),
        ends_on=date(2026, 12, 31),
        currency="NOK",
    )
    project.plan_goals.set([b1])
    Partner.objects.create(project=project, library=fredrikstad_lib)
    nb = Funder.objects.create(agency=agency, name="Nasjonalbiblioteket")
    county = Funder.objects.create(agency=agency, name="Østfold fylkeskommune")
    own = Funder.objects.create(agency=agency, name="Egeninnsats", is_own=True)
    for funder, year, applied, granted, reported in [
        (nb, YEAR, "400000", "300000", "120000"),
        (county, YEAR, "100000", "100000", None),
        (county, YEAR, "50000", None, None),
        (own, YEAR, "80000", None, None),
        (nb, YEAR + 1, "200000", "200000", None),
    ]:
        FundingLine.objects.create(
            project=project,
            funder=funder,
            year=year,
            applied=Decimal(applied),
            granted=Decimal(granted) if granted else None,
            reported=Decimal(reported) if reported else None,
        )
    m1 = Measure.objects.create(
        project=project,
        title="Opplæring av ansatte",
        status=MeasureStatus.DONE,
        starts_on=date(YEAR, 1, 10),
        ends_on=date(YEAR, 6, 30),
    )
    m1.plan_goals.set([a2])
    Measure.objects.create(
        project=project, title="Forprosjekt", status=MeasureStatus.DONE, ends_on=date(2024, 6, 1)
    )
    Measure.objects.create(project=project, title="Evaluering", status=MeasureStatus.ONGOING)
    Project.objects.create(agency=agency, title="Idé: podkast", status=ProjectStatus.IDEA)

    MunicipalPlan.objects.create(
        agency=agency,
        municipality=world.municipality,
        title="Bibliotekplan for Fredrikstad",
        starts_year=2020,
        ends_year=2023,
    )
    MunicipalPlan.objects.create(
        agency=agency,
        municipality=world.other_library.municipality,
        title="Bibliotekplan for Sarpsborg",
        starts_year=2015,
        ends_year=2020,
    )
    indicator = Indicator.objects.create(
        goal=a1, name="Kommuner med gjeldende bibliotekplan", unit="%", target=Decimal("100")
    )
    IndicatorValue.objects.create(indicator=indicator, year=YEAR, value=Decimal("33"))
    return Year(
        plan=plan,
        area_a=area_a,
        area_b=area_b,
        a1=a1,
        a2=a2,
        b1=b1,
        halden=halden,
        events={"e1": e1, "e2": e2, "e3": e3, "e4": e4, "e5": e5},
        consultations={"c1": c1, "c2": c2, "c3": c3},
        project=project,
    )
