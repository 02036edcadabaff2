"""The municipal library plan register under KB's rule, as of any year.

Kungliga biblioteket (KB) counts a municipality's library plan as *current* (aktuell) in year Y
when it covers Y or expired at most two years before Y; Norway's county libraries follow the
same count. `models.kb_status` holds the rule for one plan; this module applies it to every
municipality of the agency's region:

- a plan that has not started by Y does not count (it is an adopted successor);
- open-ended plans stay current once in force;
- a municipality's status is the best of its plans (current, then expired, then missing);
  "missing" when it has no plan that has started by Y.

Two flags help the agency act in time (docs/plans.md, "Municipal library plans"):

- **expires soon** in year Y: the municipality is current, and every plan registered for it —
  an adopted successor that has not started included — ends in Y or Y + 1. So in 2026 a plan
  for 2023-2026 or 2024-2027 is flagged, unless a plan from 2027 on is registered.
- **period over**: current only thanks to KB's two years (the latest plan ended in Y - 1 or
  Y - 2); the municipality should have adopted a new plan already.

Both functions read in three queries (the agency's counties, once per agency object; the
municipalities; the plans), whatever the size of the region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from bokbro.directory.access import agency_county_ids
from bokbro.directory.models import Agency, Municipality
from bokbro.plans.models import MunicipalPlan, MunicipalPlanStatus, kb_status

STATUS_ORDER: dict[str, int] = {
    MunicipalPlanStatus.CURRENT: 0,
    MunicipalPlanStatus.EXPIRED: 1,
    MunicipalPlanStatus.MISSING: 2,
}
OPEN_END = 10_000  # sorts an open-ended plan after every dated one


def _end(plan: MunicipalPlan) -> int:
    return OPEN_END if plan.ends_year is None else plan.ends_year


@dataclass
class MunicipalityRow:
    """One municipality of the region and its library plans as of `year`."""

    municipality: Municipality
    year: int
    status: str
    plan: MunicipalPlan | None  # the plan the status rests on (None when missing)
    upcoming: MunicipalPlan | None  # an adopted plan that starts after `year`
    plans: list[MunicipalPlan] = field(default_factory=list)
    expires_soon: bool = False
    period_over: bool = False

    @property
    def status_label(self) -> str:
        return str(MunicipalPlanStatus(self.status).label)

    @property
    def current_until(self) -> int | None:
        """The last year KB counts the plan as current (None: open-ended or no plan)."""
        if self.plan is None or self.plan.ends_year is None:
            return None
        return self.plan.ends_year + 2

    @property
    def covers_school_libraries(self) -> bool | None:
        return None if self.plan is None else self.plan.covers_school_libraries


def municipality_row(
    municipality: Municipality, plans: list[MunicipalPlan], year: int
) -> MunicipalityRow:
    """The status of one municipality from its plans (any order), as of `year`."""
    started = [plan for plan in plans if plan.starts_year <= year]
    future = [plan for plan in plans if plan.starts_year > year]
    best: MunicipalPlan | None = None
    status: str = MunicipalPlanStatus.MISSING
    if started:
        best = min(
            started,
            key=lambda p: (
                STATUS_ORDER[kb_status(p.starts_year, p.ends_year, year)],
                -_end(p),
                -p.starts_year,
                -p.pk if p.pk else 0,
            ),
        )
        status = kb_status(best.starts_year, best.ends_year, year)
    upcoming = min(future, key=lambda p: (p.starts_year, p.pk or 0)) if future else None
    row = MunicipalityRow(
        municipality=municipality,
        year=year,
        status=status,
        plan=best,
        upcoming=upcoming,
        plans=sorted(plans, key=lambda p: (-p.starts_year, -(p.pk or 0))),
    )
    if status == MunicipalPlanStatus.CURRENT and best is not None:
        last = max(_end(plan) for plan in plans)
        row.expires_soon = last in (year, year + 1)
        row.period_over = last < year
    return row


def municipal_plan_overview(
    agency: Agency, year: int, *, county_ids: list[int] | None = None
) -> list[MunicipalityRow]:
    """Every municipality of the agency's counties (or of `county_ids`, limited to those) with
    its library plan status as of `year`, by municipality name. Three queries at most.

    Each row has `municipality` (with its county), `status` (a `MunicipalPlanStatus` value),
    `plan` (the plan the status rests on: for "current" the one that runs longest), `upcoming`
    (an adopted plan not yet started), `plans` (all the agency's plans for it, newest first),
    and the flags `expires_soon` and `period_over` (see this module's docstring)."""
    counties = agency_county_ids(agency)
    if county_ids is not None:
        counties = [pk for pk in counties if pk in set(county_ids)]
    municipalities = list(
        Municipality.objects.filter(county__in=counties)
        .select_related("county")
        .order_by("name", "pk")
    )
    by_municipality: dict[int, list[MunicipalPlan]] = {m.pk: [] for m in municipalities}
    plans = MunicipalPlan.objects.of(agency).filter(municipality__in=list(by_municipality))
    for plan in plans:
        by_municipality[plan.municipality_id].append(plan)
    return [
        municipality_row(municipality, by_municipality[municipality.pk], year)
        for municipality in municipalities
    ]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: Any
    count: int
    share: Decimal | None  # percent of the municipalities, one decimal; None when there are none


@dataclass(frozen=True)
class PlanCounts:
    """The region's figures, as in KB's national follow-up ("98 % had a current plan")."""

    year: int
    total: int
    statuses: list[StatusCount]
    expires_soon: int
    period_over: int
    covers_school_libraries: int  # current plans that cover the school libraries

    def count(self, status: str) -> int:
        return next(item.count for item in self.statuses if item.status == status)

    def share(self, status: str) -> Decimal | None:
        return next(item.share for item in self.statuses if item.status == status)

    @property
    def current(self) -> int:
        return self.count(MunicipalPlanStatus.CURRENT)

    @property
    def expired(self) -> int:
        return self.count(MunicipalPlanStatus.EXPIRED)

    @property
    def missing(self) -> int:
        return self.count(MunicipalPlanStatus.MISSING)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counts_of(rows: list[MunicipalityRow], year: int) -> PlanCounts:
    """The figures of rows made by `municipal_plan_overview` (e.g. after filtering by county)."""
    tally = Counter(row.status for row in rows)
    total = len(rows)
    return PlanCounts(
        year=year,
        total=total,
        statuses=[
            StatusCount(status, label, tally[status], _percent(tally[status], total))
            for status, label in MunicipalPlanStatus.choices
        ],
        expires_soon=sum(1 for row in rows if row.expires_soon),
        period_over=sum(1 for row in rows if row.period_over),
        covers_school_libraries=sum(
            1
            for row in rows
            if row.status == MunicipalPlanStatus.CURRENT and row.covers_school_libraries
        ),
    )


def municipal_plan_counts(
    agency: Agency, year: int, *, county_ids: list[int] | None = None
) -> PlanCounts:
    """How many of the region's municipalities had a current, expired or missing library plan
    in `year`, with the share of each in percent (one decimal), and how many are flagged
    "expires soon" or "period over". Three queries at most."""
    return counts_of(municipal_plan_overview(agency, year, county_ids=county_ids), year)
