"""What the projects module tells the plan follow-up and the annual report
(`bokbro.plans.registry`).

For a year:

- a project of the agency (its owner) is *active* when it has started (running, completed or
  stopped) and its period overlaps the year (no start or no end date: open on that side), or
  when it has funding granted for the year;
- *funding granted in the year* is the granted amount of the project's funding lines for that
  year (a line is money from one source for one budget year; lines still awaiting the funder's
  decision have no granted amount and do not count), by source, in the agency's currency (a
  project's currency is its owner's);
- a *measure done in the year* is a measure marked done whose end date (or, without one, its start
  date) is in the year; it serves its own plan goals and those of its project;
- a project reaches its partner libraries and municipalities (and the municipalities of those
  libraries).

Six queries for the whole year, whatever the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.plans.registry import Activity, ActivitySource, Figure
from bokbro.projects.models import (
    FundingLine,
    Measure,
    MeasureStatus,
    Partner,
    Project,
    ProjectStatus,
)

STARTED = (ProjectStatus.RUNNING, ProjectStatus.COMPLETED, ProjectStatus.STOPPED)


def activities(agency: Any, year: int) -> list[Activity]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    granted_lines = FundingLine.objects.filter(
        project__agency=agency, year=year, granted__isnull=False
    )
    projects = (
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
    rows = list(projects.values("pk", "title", "starts_on"))
    if not rows:
        return []
    ids = projects.values("pk")
    goals: dict[int, set[int]] = defaultdict(set)
    for pk, goal_id in Project.plan_goals.through.objects.filter(project_id__in=ids).values_list(
        "project_id", "goal_id"
    ):
        goals[pk].add(goal_id)
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
    funding: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for pk, funder, amount in granted_lines.filter(project_id__in=ids).values_list(
        "project_id", "funder__name", "granted"
    ):
        funding[pk][funder] += amount
    measures = (
        Measure.objects.filter(project_id__in=ids, status=MeasureStatus.DONE)
        .annotate(done_on=Coalesce("ends_on", "starts_on"))
        .filter(done_on__year=year)
        .order_by("done_on", "pk")
    )
    measure_rows = list(measures.values("pk", "title", "project_id", "done_on"))
    measure_goals: dict[int, set[int]] = defaultdict(set)
    for pk, goal_id in Measure.plan_goals.through.objects.filter(
        measure_id__in=measures.values("pk")
    ).values_list("measure_id", "goal_id"):
        measure_goals[pk].add(goal_id)
    currency = agency.currency
    prefix = reverse("projects:staff_detail", args=[0])[: -len("0/")]
    project_label, measure_label = str(_("Project")), str(_("Measure"))
    result = []
    for row in rows:
        pk = row["pk"]
        result.append(
            Activity(
                source="projects",
                kind=project_label,
                title=row["title"],
                url=f"{prefix}{pk}/",
                date=row["starts_on"],
                goal_ids=frozenset(goals.get(pk, ())),
                library_ids=frozenset(libraries.get(pk, ())),
                municipality_ids=frozenset(municipalities.get(pk, ())),
                numbers={
                    "projects": 1,
                    "measures_done": 0,
                    "funding": dict(funding.get(pk, {})),
                    "currency": currency,
                },
            )
        )
    titles = {row["pk"]: row["title"] for row in rows}
    for row in measure_rows:
        project_id = row["project_id"]
        result.append(
            Activity(
                source="projects",
                kind=measure_label,
                title=f"{row['title']} ({titles[project_id]})",
                url=f"{prefix}{project_id}/",
                date=row["done_on"],
                goal_ids=frozenset(
                    measure_goals.get(row["pk"], set()) | goals.get(project_id, set())
                ),
                library_ids=frozenset(libraries.get(project_id, ())),
                municipality_ids=frozenset(municipalities.get(project_id, ())),
                numbers={"projects": 0, "measures_done": 1, "funding": {}, "currency": currency},
            )
        )
    return result


def funding_by_source(activities: list[Activity]) -> dict[str, Decimal]:
    """Granted amounts per source, summed over the projects among `activities`."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for activity in activities:
        for funder, amount in activity.numbers.get("funding", {}).items():
            totals[funder] += amount
    return dict(sorted(totals.items()))


def figures(activities: list[Activity]) -> list[Figure]:
    currency = next((a.numbers["currency"] for a in activities), "")
    by_source = funding_by_source(activities)
    result = [
        Figure(_("Number of projects"), sum(a.numbers["projects"] for a in activities)),
        Figure(_("Measures done"), sum(a.numbers["measures_done"] for a in activities)),
        Figure(_("Funding granted"), sum(by_source.values(), Decimal("0")), currency),
    ]
    for funder, amount in by_source.items():
        result.append(Figure(_("Granted by %(source)s") % {"source": funder}, amount, currency))
    return result


SOURCE = ActivitySource(
    key="projects", title=_("Projects"), order=30, activities=activities, figures=figures
)
