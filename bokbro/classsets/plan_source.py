"""What the class sets tell the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year, an activity is a **loan**: a booking of the agency that was sent (status *sent* or
*returned*) with its delivery date in the year. It reaches its school's municipality and the
library it was delivered to. The figures: loans, copies lent, schools and municipalities
reached, and loans by the title's grade bands. One query for the whole year.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.classsets.models import Booking, BookingStatus, GradeBand
from bokbro.core.sources import Activity, ActivitySource, Figure

LENT = (BookingStatus.OUT, BookingStatus.RETURNED)


def activities(agency: Any, year: int) -> list[Activity]:
    rows = (
        Booking.objects.filter(
            agency=agency,
            status__in=LENT,
            starts_on__range=(date(year, 1, 1), date(year, 12, 31)),
        )
        .order_by("starts_on", "pk")
        .values_list(
            "starts_on",
            "copies",
            "copies_out",
            "class_name",
            "title__title",
            "title__grade_bands",
            "school_id",
            "school__name",
            "school__municipality_id",
            "delivery_library_id",
        )
    )
    url = reverse("classsets:bookings")
    kind = str(_("Class-set loan"))
    return [
        Activity(
            source="classsets",
            kind=kind,
            title=f"{title} ({school}, {class_name})",
            url=url,
            date=starts_on,
            library_ids=frozenset({library_id}),
            municipality_ids=frozenset({municipality_id} if municipality_id else ()),
            numbers={
                "loans": 1,
                "copies": copies_out or copies,
                "school": school_id,
                "grades": tuple(grades.split()),
            },
        )
        for (
            starts_on,
            copies,
            copies_out,
            class_name,
            title,
            grades,
            school_id,
            school,
            municipality_id,
            library_id,
        ) in rows
    ]


def figures(activities: list[Activity]) -> list[Figure]:
    loans = [a for a in activities if a.source == "classsets"]
    by_grade: Counter[str] = Counter(g for a in loans for g in a.numbers["grades"])
    result = [
        Figure(_("Class-set loans"), len(loans)),
        Figure(_("Copies lent as class sets"), sum(a.numbers["copies"] for a in loans)),
        Figure(_("Schools reached with class sets"), len({a.numbers["school"] for a in loans})),
        Figure(
            _("Municipalities reached with class sets"),
            len({m for a in loans for m in a.municipality_ids}),
        ),
    ]
    for band in GradeBand:
        if by_grade[band.value]:
            result.append(
                Figure(
                    _("Class-set loans, %(grades)s") % {"grades": band.label},
                    by_grade[band.value],
                )
            )
    return result


SOURCE = ActivitySource(
    key="classsets",
    title=_("Class sets"),
    order=60,
    activities=activities,
    figures=figures,
)
