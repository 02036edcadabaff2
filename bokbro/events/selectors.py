"""Reads that several pages (and the API) share: the libraries that may register for an event,
the material a registration may see, and the events' economy for pages, exports and the annual
report (plain data: dataclasses of Decimals, ints and strings, not querysets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from bokbro.directory.models import Agency, County, Library
from bokbro.events.models import (
    BudgetKind,
    BudgetLine,
    Event,
    EventStatus,
    Material,
    Payer,
    Registration,
    RegistrationStatus,
)


def libraries_for(event: Event) -> QuerySet[Library]:
    """The libraries of the regions of the event's organiser and co-organisers."""
    county_ids = list(
        County.objects.filter(
            Q(agencies=event.agency_id) | Q(agencies__co_organised_events=event.pk)
        )
        .values_list("id", flat=True)
        .distinct()
    )
    return (
        Library.objects.select_related("municipality")
        .filter(is_active=True)
        .in_county_ids(county_ids)
        .order_by("name")
    )


def one_per_person(registrations: QuerySet[Registration]) -> list[int]:
    """One registration id per e-mail address among these (anonymised ones left out): the
    latest, so a person who cancelled and registered again hears once, about the one that
    counts."""
    latest: dict[str, int] = {}
    rows = (
        registrations.filter(anonymised=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", "email")
    )
    for pk, email in rows:
        latest.setdefault(email.lower(), pk)
    return list(latest.values())


def material_for_participant(registration: Registration | None) -> list[Material]:
    """The material a registration may see: all of the event's, once it is confirmed."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return []
    return list(Material.objects.for_list().filter(event_id=registration.event_id))


# --- The economy ------------------------------------------------------------------------------

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value: Any) -> Decimal:
    # SQLite sums decimals as floats; every database gives two decimals here.
    return Decimal(value or 0).quantize(CENT)


def _sum(kind: str, prefix: str = "") -> Any:
    return Coalesce(
        Sum(f"{prefix}amount", filter=Q(**{f"{prefix}kind": kind})),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


@dataclass(frozen=True)
class PayerTotal:
    payer: str
    label: str
    costs: Decimal
    income: Decimal


@dataclass(frozen=True)
class EventEconomy:
    event_id: int
    title: str
    starts_at: datetime
    status: str
    costs: Decimal
    income: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


@dataclass(frozen=True)
class Totals:
    costs: Decimal = ZERO
    income: Decimal = ZERO
    payers: list[PayerTotal] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.income - self.costs


def _payer_totals(lines: Any) -> list[PayerTotal]:
    sums = {
        row["payer"]: row
        for row in lines.values("payer").annotate(costs=_sum("cost"), income=_sum("income"))
    }
    return [
        PayerTotal(
            payer=payer.value,
            label=str(payer.label),
            costs=_money(sums[payer.value]["costs"]),
            income=_money(sums[payer.value]["income"]),
        )
        for payer in Payer
        if payer.value in sums
    ]


def event_totals(event: Event) -> Totals:
    """Costs, income and net of one event, and the same per payer."""
    lines = BudgetLine.objects.filter(event=event).order_by()
    total = lines.aggregate(costs=_sum(BudgetKind.COST), income=_sum(BudgetKind.INCOME))
    return Totals(
        costs=_money(total["costs"]), income=_money(total["income"]), payers=_payer_totals(lines)
    )


@dataclass(frozen=True)
class YearEconomy:
    year: int
    currency: str
    events: list[EventEconomy]
    totals: Totals


def economy_for_year(agency: Agency, year: int) -> YearEconomy:
    """The agency's own events starting in `year` (local time; drafts left out), each with its
    costs, income and net, and the year's totals overall and per payer. Events the agency only
    co-organises count in their organiser's figures."""
    events = (
        Event.objects.filter(agency=agency, starts_at__year=year)
        .exclude(status=EventStatus.DRAFT)
        .annotate(
            costs=_sum(BudgetKind.COST, "budget_lines__"),
            income=_sum(BudgetKind.INCOME, "budget_lines__"),
        )
        .order_by("starts_at", "pk")
    )
    rows = [
        EventEconomy(
            event_id=e.pk,
            title=e.title,
            starts_at=e.starts_at,
            status=e.status,
            costs=_money(e.costs),
            income=_money(e.income),
        )
        for e in events
    ]
    lines = BudgetLine.objects.filter(event_id__in=[row.event_id for row in rows]).order_by()
    return YearEconomy(
        year=year,
        currency=agency.currency,
        events=rows,
        totals=Totals(
            costs=sum((row.costs for row in rows), ZERO),
            income=sum((row.income for row in rows), ZERO),
            payers=_payer_totals(lines),
        ),
    )
