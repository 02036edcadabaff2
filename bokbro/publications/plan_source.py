"""What the publications tell the plan follow-up and the annual report
(`bokbro.reports.registry`): each published publication of the year (drafts are left out),
named in the report with its title, with the plan goals it serves. Two queries for the whole
year."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.publications.models import Kind, Publication


def activities(agency: Any, year: int) -> list[Activity]:
    publications = list(
        Publication.objects.filter(agency=agency, year=year).published().order_by("title", "pk")
    )
    goals: dict[int, set[int]] = defaultdict(set)
    through = Publication.plan_goals.through.objects.filter(
        publication__in=[p.pk for p in publications]
    )
    for publication_id, goal_id in through.values_list("publication_id", "goal_id"):
        goals[publication_id].add(goal_id)
    return [
        Activity(
            source="publications",
            kind=str(publication.get_kind_display()),
            title=publication.title,
            url=publication.get_absolute_url(),
            date=date(year, 1, 1),
            goal_ids=frozenset(goals[publication.pk]),
            numbers={"kind": publication.kind},
        )
        for publication in publications
    ]


def figures(activities: list[Activity]) -> list[Figure]:
    mine = [a for a in activities if a.source == "publications"]
    by_kind: Counter[str] = Counter(a.numbers["kind"] for a in mine)
    result = [Figure(_("Publications"), len(mine))]
    for kind in Kind:
        if by_kind[kind.value]:
            result.append(
                Figure(_("Publications: %(kind)s") % {"kind": kind.label}, by_kind[kind.value])
            )
    return result


SOURCE = ActivitySource(
    key="publications",
    title=_("Publications"),
    order=80,
    activities=activities,
    figures=figures,
    named_in_report=lambda activity: True,
)
