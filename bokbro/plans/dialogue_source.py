"""The annual dialogues in the follow-up and the annual report (`bokbro.reports.registry`).

A dialogue is logged like a consultation, and counts like one: for its year, reaching its
municipality, with the hours logged on it. It counts for the goals whose status was discussed
(every status but "not relevant"). Two queries for the whole year.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.plans.models import Dialogue, DialogueGoalStatus, GoalProgress


def activities(agency: Any, year: int) -> list[Activity]:
    dialogues = Dialogue.objects.filter(agency=agency, year=year).order_by("date", "pk")
    rows = list(dialogues.values("pk", "date", "hours", "municipality_id", "municipality__name"))
    if not rows:
        return []
    goals: dict[int, set[int]] = defaultdict(set)
    statuses = DialogueGoalStatus.objects.filter(dialogue__in=dialogues.values("pk")).exclude(
        status=GoalProgress.NOT_RELEVANT
    )
    for dialogue_id, goal_id in statuses.values_list("dialogue_id", "goal_id"):
        goals[dialogue_id].add(goal_id)
    kind = str(_("Annual dialogue"))
    prefix = reverse("plans:dialogue", args=[0])[: -len("0/")]
    return [
        Activity(
            source="dialogues",
            kind=kind,
            title=f"{kind}: {row['municipality__name']}",
            url=f"{prefix}{row['pk']}/",
            date=row["date"],
            goal_ids=frozenset(goals.get(row["pk"], ())),
            municipality_ids=frozenset({row["municipality_id"]}),
            numbers={"dialogues": 1, "hours": row["hours"] or Decimal("0")},
        )
        for row in rows
    ]


def figures(activities: list[Activity]) -> list[Figure]:
    hours = sum((a.numbers["hours"] for a in activities), Decimal("0"))
    if hours == hours.to_integral_value():
        hours = Decimal(int(hours))
    return [
        Figure(_("Annual dialogues"), len(activities)),
        Figure(_("Hours in annual dialogues"), hours.normalize() if hours else 0, str(_("h"))),
    ]


SOURCE = ActivitySource(
    key="dialogues",
    title=_("Annual dialogues"),
    order=25,
    activities=activities,
    figures=figures,
)
