"""The follow-up of a plan for one year: what was done for each focus area and goal.

The activities come from the sources the modules declare (`bokbro.reports.registry`), read once per
source for the whole year; everything else here is grouping in memory, so the page costs
the same number of queries for ten activities or ten thousand.

An activity counts for a goal when it is tagged with it, and for a focus area when it is tagged
with one of its goals (once, even if tagged with several). "Reached" libraries and
municipalities are those of the activities (participants' libraries, consultations' libraries
and municipalities, projects' partners); "not reached" are the municipalities of the agency's
counties that none of the activities reached (likvärdig tillgång / likeverdig tilgang).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bokbro.core.sources import Activity, ActivitySource, Figure, Funding
from bokbro.directory.models import Agency, Municipality
from bokbro.plans.models import FocusArea, Goal, Plan
from bokbro.plans.selectors import goals_by_area
from bokbro.reports.registry import registered
from bokbro.reports.selectors import region_municipalities

# The follow-up page lists at most this many activities per goal and source; the figures
# always count them all.
LIST_LIMIT = 100


@dataclass
class SourceBlock:
    """One source's share of a group of activities: its figures and (some of) the activities."""

    source: ActivitySource
    activities: list[Activity]
    figures: list[Figure]

    @property
    def shown(self) -> list[Activity]:
        return self.activities[:LIST_LIMIT]

    @property
    def hidden_count(self) -> int:
        return max(len(self.activities) - LIST_LIMIT, 0)


@dataclass
class Group:
    """Activities of a goal, a focus area or the whole year, with what they reached."""

    blocks: list[SourceBlock]
    activity_count: int
    people: int
    library_ids: frozenset[int]
    municipality_ids: frozenset[int]
    not_reached: list[Municipality]

    @property
    def active_blocks(self) -> list[SourceBlock]:
        """The sources with activities in the group (a goal's table leaves out the rest)."""
        return [block for block in self.blocks if block.activities]

    @property
    def library_count(self) -> int:
        return len(self.library_ids)

    @property
    def municipality_count(self) -> int:
        return len(self.municipality_ids)


@dataclass
class GoalFollowUp:
    goal: Goal
    group: Group
    indicators: list[Any] = field(default_factory=list)  # report.IndicatorRow


@dataclass
class AreaFollowUp:
    area: FocusArea
    goals: list[GoalFollowUp]
    group: Group


@dataclass
class FollowUp:
    agency: Agency
    year: int
    plan: Plan | None
    sources: list[ActivitySource]
    activities: dict[str, list[Activity]]
    region: list[Municipality]
    areas: list[AreaFollowUp]
    total: Group
    untagged: Group  # the year's activities tagged with none of the plan's goals

    @property
    def untagged_count(self) -> int:
        return self.untagged.activity_count


def year_activities(agency: Agency, year: int) -> dict[str, list[Activity]]:
    """Every source's activities of the year, read once."""
    return {source.key: list(source.activities(agency, year)) for source in registered()}


def group(
    sources: list[ActivitySource],
    activities: dict[str, list[Activity]],
    region: list[Municipality],
    keep: Any = None,
) -> Group:
    """The activities `keep(activity)` accepts (all when None), per source, with their reach."""
    blocks = []
    people = 0
    libraries: set[int] = set()
    municipalities: set[int] = set()
    count = 0
    for source in sources:
        chosen = [a for a in activities.get(source.key, ()) if keep is None or keep(a)]
        for activity in chosen:
            people += activity.people
            libraries |= activity.library_ids
            municipalities |= activity.municipality_ids
        count += len(chosen)
        blocks.append(SourceBlock(source, chosen, source.figures(chosen)))
    return Group(
        blocks=blocks,
        activity_count=count,
        people=people,
        library_ids=frozenset(libraries),
        municipality_ids=frozenset(municipalities),
        not_reached=[m for m in region if m.pk not in municipalities],
    )


def follow_up(
    agency: Agency,
    year: int,
    plan: Plan | None,
    activities: dict[str, list[Activity]] | None = None,
    region: Iterable[Municipality] | None = None,
) -> FollowUp:
    sources = registered()
    if activities is None:
        activities = year_activities(agency, year)
    region = list(region) if region is not None else region_municipalities(agency)
    areas: list[AreaFollowUp] = []
    plan_goal_ids: set[int] = set()
    if plan is not None:
        for area, goals in goals_by_area(plan):
            ids = frozenset(g.pk for g in goals)
            plan_goal_ids |= ids
            goal_rows = [
                GoalFollowUp(
                    goal=g,
                    group=group(sources, activities, region, lambda a, pk=g.pk: pk in a.goal_ids),
                )
                for g in goals
            ]
            area_group = group(
                sources, activities, region, lambda a, ids=ids: bool(a.goal_ids & ids)
            )
            areas.append(AreaFollowUp(area=area, goals=goal_rows, group=area_group))
    return FollowUp(
        agency=agency,
        year=year,
        plan=plan,
        sources=sources,
        activities=activities,
        region=region,
        areas=areas,
        total=group(sources, activities, region),
        untagged=group(sources, activities, region, lambda a: not (a.goal_ids & plan_goal_ids)),
    )


def funding_by_source(followup: FollowUp) -> dict[str, Funding]:
    """The year's money by source (funder), over every activity that reports funding
    (`numbers["funding"]`: {source name: core.sources.Funding}): outside funders by the amount
    granted, largest first, then the own sources."""
    totals: dict[str, Funding] = defaultdict(Funding)
    for activities in followup.activities.values():
        for activity in activities:
            for source, amount in activity.numbers.get("funding", {}).items():
                totals[source] += amount
    return dict(
        sorted(totals.items(), key=lambda item: (bool(item[1].own), -item[1].granted, item[0]))
    )
