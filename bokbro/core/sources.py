"""What a module gives the plan follow-up and the annual report: its activities of a year and
the figures they make. The shape of the contract's `report_sources` (bokbro.core.modules); the
reports app reads every module's sources through `bokbro.reports.registry`, so neither plans
nor reports imports the modules, and no module imports reports.

Each module that has something to report (usually objects tagged with plan goals through a
`plan_goals` many-to-many field to `plans.Goal`) declares an `ActivitySource` as
`report_sources = ("plan_source.SOURCE",)` in its contract (its `AppConfig`, see
bokbro.core.modules):

    from bokbro.core.sources import Activity, ActivitySource, Figure

    def activities(agency, year):
        for event in Event.objects.filter(agency=agency, starts_at__year=year)...:
            yield Activity(
                source="events",
                kind=event.get_kind_display(),
                title=event.title,
                url=event.get_absolute_url(),
                date=event.starts_at.date(),
                goal_ids=frozenset(...),
                library_ids=frozenset(...),          # libraries reached
                municipality_ids=frozenset(...),     # municipalities reached (directly or via
                                                     # their libraries)
                people=participants,                 # people reached (participants)
                numbers={"participants": 12, "attended": 10, "certificates": 8},
            )

    def figures(activities):                        # the summary row(s) for a group
        return [Figure(_("Courses and events"), len(activities)), ...]

    SOURCE = ActivitySource(key="events", title=_("Courses and events"), order=10,
                            activities=activities, figures=figures)

`activities(agency, year)` returns every activity of the agency in the year, tagged or not (the
report also shows the year's totals). It must read in a constant number of queries: the annual
report calls it once per source for thousands of rows. `figures(activities)` turns any subset
(the activities of one goal, of one focus area, or all) into labelled numbers, so the follow-up
page and the report show the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Activity:
    source: str
    kind: str  # a translated label: "Course", "Consultation", "Project"…
    title: str
    url: str = ""
    date: date | None = None
    goal_ids: frozenset[int] = field(default=frozenset())
    library_ids: frozenset[int] = field(default=frozenset())
    municipality_ids: frozenset[int] = field(default=frozenset())
    people: int = 0
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    label: Any  # a lazy translation
    value: int | Decimal | float
    unit: str = ""  # "%", "NOK", "h"…


@dataclass(frozen=True)
class Funding:
    """One source's money for an activity in a year (`Activity.numbers["funding"]` maps the
    source's name to one). `granted` is what an outside funder decided; `own` is the agency's or
    the partners' own money or staff time, never counted as granted; `applied` is what was
    asked of outside funders (decided or not); `reported` is what was reported as spent."""

    applied: Decimal = Decimal("0")
    granted: Decimal = Decimal("0")
    own: Decimal = Decimal("0")
    reported: Decimal = Decimal("0")

    def __add__(self, other: Funding) -> Funding:
        return Funding(
            applied=self.applied + other.applied,
            granted=self.granted + other.granted,
            own=self.own + other.own,
            reported=self.reported + other.reported,
        )


ActivitiesFunction = Callable[[Any, int], Iterable[Activity]]
FiguresFunction = Callable[[list[Activity]], list[Figure]]


@dataclass(frozen=True)
class ActivitySource:
    key: str
    title: Any  # a lazy translation
    activities: ActivitiesFunction
    figures: FiguresFunction
    order: int = 100
    # Which activities the annual report names one by one, with title and date (courses,
    # projects, publications); None: the report gives only the source's figures.
    named_in_report: Callable[[Activity], bool] | None = None
