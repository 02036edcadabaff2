"""What the mobile library tells the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year, an activity is a **visit made**: a date of a visit with counts entered at the stop
(mobile/models.py, `VisitCount`). It reaches the stop's municipality. The figures: visits made,
loans, returns, visitors, municipalities reached and the stops visited by type. One query for
the whole year."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.mobile.models import StopKind, VisitCount


def activities(agency: Any, year: int) -> list[Activity]:
    rows = (
        VisitCount.objects.filter(agency=agency, date__range=(date(year, 1, 1), date(year, 12, 31)))
        .order_by("date", "pk")
        .values_list(
            "date",
            "loans",
            "returns",
            "visitors",
            "visit__stop_id",
            "visit__stop__name",
            "visit__stop__kind",
            "visit__stop__municipality_id",
        )
    )
    kind = str(_("Mobile library visit"))
    return [
        Activity(
            source="mobile",
            kind=kind,
            title=stop,
            url=reverse("mobile:stop", args=[stop_id]),
            date=day,
            municipality_ids=frozenset({municipality} if municipality else ()),
            people=visitors,
            numbers={
                "loans": loans,
                "returns": returns,
                "visitors": visitors,
                "stop": stop_id,
                "stop_kind": stop_kind,
            },
        )
        for (day, loans, returns, visitors, stop_id, stop, stop_kind, municipality) in rows
    ]


def figures(activities: list[Activity]) -> list[Figure]:
    visits = [a for a in activities if a.source == "mobile"]
    if not visits:
        return []
    stops_by_kind: Counter[str] = Counter(
        kind for _stop, kind in {(a.numbers["stop"], a.numbers["stop_kind"]) for a in visits}
    )
    result = [
        Figure(_("Mobile library visits made"), len(visits)),
        Figure(_("Loans from the mobile library"), sum(a.numbers["loans"] for a in visits)),
        Figure(_("Returns to the mobile library"), sum(a.numbers["returns"] for a in visits)),
        Figure(_("Visitors to the mobile library"), sum(a.numbers["visitors"] for a in visits)),
        Figure(
            _("Municipalities reached by the mobile library"),
            len({m for a in visits for m in a.municipality_ids}),
        ),
    ]
    for kind in StopKind:
        if stops_by_kind[kind.value]:
            result.append(
                Figure(
                    _("Mobile library stops visited: %(type)s") % {"type": kind.label},
                    stops_by_kind[kind.value],
                )
            )
    return result


SOURCE = ActivitySource(
    key="mobile",
    title=_("Mobile library"),
    order=65,
    activities=activities,
    figures=figures,
)
