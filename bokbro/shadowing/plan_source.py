"""What job shadowing tells the plan follow-up and the annual report
(`bokbro.reports.registry`).

For a year, an activity is an **exchange**: an accepted application whose stay begins in the
year, of the agency's offers or of its own people at other agencies' offers. It names the two
libraries (never the guest). The figures: exchanges, libraries and counties taking part, the
travel support granted. One query for the year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from bokbro.core.sources import Activity, ActivitySource, Figure
from bokbro.shadowing.selectors import exchanges, library_county_id


def activities(agency: Any, year: int) -> list[Activity]:
    kind = str(_("Job shadowing"))
    result = []
    for application in exchanges(agency, year):
        offer = application.offer
        libraries = [application.library, offer.host_library]
        result.append(
            Activity(
                source="shadowing",
                kind=kind,
                title=f"{application.library.name} → {offer.host_name}: {offer.title}",
                url=offer.get_absolute_url() if offer.agency_id == agency.pk else "",
                date=application.starts_on,
                library_ids=frozenset(lib.pk for lib in libraries if lib is not None),
                municipality_ids=frozenset(
                    lib.municipality_id for lib in libraries if lib and lib.municipality_id
                ),
                people=1,
                numbers={
                    "county_ids": sorted(
                        {c for c in (library_county_id(lib) for lib in libraries) if c}
                    ),
                    "travel_support": application.travel_support_granted or Decimal("0"),
                },
            )
        )
    return result


def figures(activities: list[Activity]) -> list[Figure]:
    rows = [a for a in activities if a.source == "shadowing"]
    libraries: set[int] = set()
    counties: set[int] = set()
    for activity in rows:
        libraries |= activity.library_ids
        counties.update(activity.numbers["county_ids"])
    return [
        Figure(_("Job shadowing exchanges"), len(rows)),
        Figure(_("Libraries in job shadowing"), len(libraries)),
        Figure(_("Counties in job shadowing"), len(counties)),
        Figure(
            _("Travel support granted for job shadowing"),
            sum((a.numbers["travel_support"] for a in rows), Decimal("0")),
        ),
    ]


SOURCE = ActivitySource(
    key="shadowing",
    title=_("Job shadowing"),
    order=90,
    activities=activities,
    figures=figures,
)
