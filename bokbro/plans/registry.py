"""How the plan module learns what was done for its goals, without importing the modules.

Each module that tags its objects with plan goals (a `plan_goals` many-to-many field to
`plans.Goal`) declares an `ActivitySource` as `report_sources = ("plan_source.SOURCE",)` in its
contract (its `AppConfig`, see bokbro.core.modules):

    from bokbro.plans.registry import Activity, ActivitySource, Figure

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


ActivitiesFunction = Callable[[Any, int], Iterable[Activity]]
FiguresFunction = Callable[[list[Activity]], list[Figure]]


@dataclass(frozen=True)
class ActivitySource:
    key: str
    title: Any  # a lazy translation
    activities: ActivitiesFunction
    figures: FiguresFunction
    order: int = 100


def registered() -> list[ActivitySource]:
    """Every module's sources, in their order."""
    from bokbro.core.modules import resolved

    sources = [source for _module, source in resolved("report_sources")]
    return sorted(sources, key=lambda source: (source.order, source.key))
