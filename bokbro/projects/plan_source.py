"""What the projects module tells the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year:

- a project of the agency (its owner) is *active* when it has started (running, completed or
  stopped) and its period overlaps the year (no start or no end date: open on that side), or
  when it has funding granted for the year;
- *funding in the year* is the project's funding lines for that year (a line is money from one
  source for one budget year), by source, in the agency's currency (a project's currency is its
  owner's), as a `core.sources.Funding`: an outside funder's line gives its amount applied for,
  its amount granted (none while the funder has not decided) and what was reported as spent; a
  line of an own source (the agency's or the partners' own money or staff time) is *own
  funding* (its granted amount, or what was planned while none is entered), never granted;
- a *measure done in the year* is a measure marked done whose end date (or, without one, its start
  date) is in the year; it serves its own plan goals and those of its project;
- a project reaches its partner libraries and municipalities (and the municipalities of those
  libraries).

Six queries for the whole year, whatever the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure, Funding
from bokbro.projects.models import (
    FundingLine,
    Measure,
    MeasureStatus,
    Partner,
    Project,
    ProjectStatus,
)

STARTED = (ProjectStatus.RUNNING, ProjectStatus.COMPLETED, ProjectStatus.STOPPED)


def _active_projects(agency: Any, year: int, granted_lines: QuerySet[FundingLine]) -> QuerySet:
    """The agency's projects active in the year (see the module's docstring)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return (
        Project.objects.filter(agency=agency)
        .filter(
            Q(
                status__in=STARTED,
                starts_on__lte=last,
                ends_on__gte=first,
            )
            | Q(status__in=STARTED, starts_on__isnull=True, ends_on__gte=first)
            | Q(status__in=STARTED, starts_on__lte=last, ends_on__isnull=True)
            | Q(status__in=STARTED, starts_on__isnull=True, ends_on__isnull=True)
            | Q(pk__in=granted_lines.values("project_id"))
        )
        .order_by("title", "pk")
    )


def _goals_of(through: Any, key: str, ids: QuerySet) -> dict[int, set[int]]:
    """Goal ids per tagged object (one query), for a `plan_goals` through table."""
    goals: dict[int, set[int]] = defaultdict(set)
    rows = through.objects.filter(**{f"{key}__in": ids}).values_list(key, "goal_id")
    for pk, goal_id in rows:
        goals[pk].add(goal_id)
    return goals


def _reach_of(ids: QuerySet) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The partner libraries and the municipalities (partners' and the libraries') per project:
    one query."""
    libraries: dict[int, set[int]] = defaultdict(set)
    municipalities: dict[int, set[int]] = defaultdict(set)
    for pk, library_id, library_municipality, municipality_id in Partner.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "library_id", "library__municipality_id", "municipality_id"):
        if library_id:
            libraries[pk].add(library_id)
        if library_municipality:
            municipalities[pk].add(library_municipality)
        if municipality_id:
            municipalities[pk].add(municipality_id)
    return libraries, municipalities


def _funding_of(agency: Any, year: int, ids: QuerySet) -> dict[int, dict[str, Funding]]:
    """The year's money per project and source (funder), outside and own apart: one query."""
    funding: dict[int, dict[str, Funding]] = defaultdict(dict)
    lines = FundingLine.objects.filter(project_id__in=ids, year=year, project__agency=agency)
    # A line from a named partner (a foundation, a university) counts under the partner's name,
    # in the column its source says (outside or own).
    for pk, funder, partner, external, is_own, applied, granted, reported in lines.values_list(
        "project_id",
        "funder__name",
        "partner__external_name",
        Coalesce("partner__library__name", "partner__municipality__name", "partner__agency__name"),
        "funder__is_own",
        "applied",
        "granted",
        "reported",
    ):
        funder = partner or external or funder
        if is_own:
            line = Funding(own=granted if granted is not None else applied)
        else:
            line = Funding(applied=applied, granted=granted or Decimal("0"))
        line = line + Funding(reported=reported or Decimal("0"))
        funding[pk][funder] = funding[pk].get(funder, Funding()) + line
    return funding


def _measures_done(
    ids: QuerySet, year: int
) -> tuple[Sequence[Mapping[str, Any]], dict[int, set[int]]]:
    """The projects' measures done in the year, and each one's own goals: two queries."""
    measures = (
        Measure.objects.filter(project_id__in=ids, status=MeasureStatus.DONE)
        .annotate(done_on=Coalesce("ends_on", "starts_on"))
        .filter(done_on__year=year)
        .order_by("done_on", "pk")
    )
    rows = list(measures.values("pk", "title", "project_id", "done_on"))
    return rows, _goals_of(Measure.plan_goals.through, "measure_id", measures.values("pk"))


def activities(agency: Any, year: int) -> list[Activity]:
    granted_lines = FundingLine.objects.filter(
        project__agency=agency, year=year, granted__isnull=False
    )
    projects = _active_projects(agency, year, granted_lines)
    rows = list(projects.values("pk", "title", "starts_on"))
    if not rows:
        return []
    ids = projects.values("pk")
    goals = _goals_of(Project.plan_goals.through, "project_id", ids)
    libraries, municipalities = _reach_of(ids)
    funding = _funding_of(agency, year, ids)
    measure_rows, measure_goals = _measures_done(ids, year)
    currency = agency.currency
    prefix = reverse("projects:staff_detail", args=[0])[: -len("0/")]
    project_label, measure_label = str(_("Project")), str(_("Measure"))
    result = [
        Activity(
            source="projects",
            kind=project_label,
            title=row["title"],
            url=f"{prefix}{row['pk']}/",
            date=row["starts_on"],
            goal_ids=frozenset(goals.get(row["pk"], ())),
            library_ids=frozenset(libraries.get(row["pk"], ())),
            municipality_ids=frozenset(municipalities.get(row["pk"], ())),
            numbers={
                "projects": 1,
                "measures_done": 0,
                "funding": dict(funding.get(row["pk"], {})),
                "currency": currency,
            },
        )
        for row in rows
    ]
    titles = {row["pk"]: row["title"] for row in rows}
    result += [
        Activity(
            source="projects",
            kind=measure_label,
            title=f"{row['title']} ({titles[row['project_id']]})",
            url=f"{prefix}{row['project_id']}/",
            date=row["done_on"],
            # A measure serves its own goals and its project's.
            goal_ids=frozenset(
                measure_goals.get(row["pk"], set()) | goals.get(row["project_id"], set())
            ),
            library_ids=frozenset(libraries.get(row["project_id"], ())),
            municipality_ids=frozenset(municipalities.get(row["project_id"], ())),
            numbers={"projects": 0, "measures_done": 1, "funding": {}, "currency": currency},
        )
        for row in measure_rows
    ]
    return result


def funding_by_source(activities: list[Activity]) -> dict[str, Funding]:
    """The year's money per source, summed over the projects among `activities`."""
    totals: dict[str, Funding] = defaultdict(Funding)
    for activity in activities:
        for funder, amount in activity.numbers.get("funding", {}).items():
            totals[funder] += amount
    return dict(sorted(totals.items()))


def figures(activities: list[Activity]) -> list[Figure]:
    currency = next((a.numbers["currency"] for a in activities), "")
    by_source = funding_by_source(activities)
    total = sum(by_source.values(), Funding())
    result = [
        Figure(_("Number of projects"), sum(a.numbers["projects"] for a in activities)),
        Figure(_("Measures done"), sum(a.numbers["measures_done"] for a in activities)),
        Figure(_("Funding granted"), total.granted, currency),
    ]
    if total.own:
        result.append(Figure(_("Own funding"), total.own, currency))
    for funder, amount in by_source.items():
        if amount.granted:
            result.append(
                Figure(_("Granted by %(source)s") % {"source": funder}, amount.granted, currency)
            )
    return result


SOURCE = ActivitySource(
    key="projects",
    title=_("Projects"),
    order=30,
    activities=activities,
    figures=figures,
    named_in_report=lambda activity: bool(activity.numbers["projects"]),  # not the measures
)
