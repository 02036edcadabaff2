"""Reads with rules: a project's funding summed up, its own-funding share, and the warnings of
funders whose rules the budget breaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from bokbro.events.templatetags.economy import money
from bokbro.projects.models import Funder, FundingLine, Project

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass
class FunderTotal:
    funder: Funder
    applied: Decimal = ZERO
    granted: Decimal = ZERO
    reported: Decimal = ZERO


@dataclass
class YearTotal:
    year: int
    lines: list[FundingLine] = field(default_factory=list)
    applied: Decimal = ZERO
    granted: Decimal = ZERO
    reported: Decimal = ZERO


@dataclass
class FundingSummary:
    """The project's funding: per year and per source, the totals, and the own-funding share
    (own funding / the whole budget, where a line counts with its granted amount once decided
    and with the amount applied for until then)."""

    currency: str
    years: list[YearTotal]
    funders: list[FunderTotal]
    applied: Decimal
    granted: Decimal
    reported: Decimal
    budget: Decimal
    own: Decimal
    own_share: Decimal | None
    warnings: list[str]
    # What each partner gives (granted money, or own effort): name -> (amount, is own).
    from_partners: dict[str, tuple[Decimal, bool]] = field(default_factory=dict)

    @property
    def lines(self) -> list[FundingLine]:
        return [line for year in self.years for line in year.lines]


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))}".rstrip("0").rstrip(".")


def rule_warnings(
    funders: list[FunderTotal], own_share: Decimal | None, currency: str
) -> list[str]:
    """One sentence per rule a funder of the project has that the budget breaks."""
    warnings = []
    for total in funders:
        funder = total.funder
        if funder.is_own:
            continue
        if funder.min_own_share is not None and (own_share or ZERO) < funder.min_own_share:
            warnings.append(
                _(
                    "%(funder)s requires at least %(required)s %% own funding; "
                    "this project has %(actual)s %%."
                )
                % {
                    "funder": funder.name,
                    "required": _percent(funder.min_own_share),
                    "actual": _percent(own_share or ZERO),
                }
            )
        if funder.min_applied is not None and total.applied < funder.min_applied:
            warnings.append(
                _(
                    "%(funder)s requires at least %(required)s applied for; "
                    "this project applies for %(actual)s."
                )
                % {
                    "funder": funder.name,
                    "required": money(funder.min_applied, currency),
                    "actual": money(total.applied, currency),
                }
            )
    return warnings


def funding_summary(project: Project) -> FundingSummary:
    lines = list(
        project.funding.select_related("funder", "partner").order_by(
            *(FundingLine._meta.ordering or ())
        )
    )
    years: dict[int, YearTotal] = {}
    funders: dict[int, FunderTotal] = {}
    applied = granted = reported = budget = own = ZERO
    from_partners: dict[str, tuple[Decimal, bool]] = {}
    for line in lines:
        if line.partner is not None:
            given = line.budget if line.funder.is_own else (line.granted or ZERO)
            sofar, _own = from_partners.get(line.partner.name, (ZERO, line.funder.is_own))
            from_partners[line.partner.name] = (sofar + given, line.funder.is_own)
        year = years.setdefault(line.year, YearTotal(line.year))
        year.lines.append(line)
        total = funders.setdefault(line.funder_id, FunderTotal(line.funder))
        for bucket in (year, total):
            bucket.applied += line.applied
            bucket.granted += line.granted or ZERO
            bucket.reported += line.reported or ZERO
        applied += line.applied
        granted += line.granted or ZERO
        reported += line.reported or ZERO
        budget += line.budget
        if line.funder.is_own:
            own += line.budget
    own_share = (own * HUNDRED / budget) if budget else None
    funder_list = sorted(funders.values(), key=lambda t: (not t.funder.is_own, t.funder.name))
    return FundingSummary(
        currency=project.currency,
        years=sorted(years.values(), key=lambda y: y.year),
        funders=funder_list,
        applied=applied,
        granted=granted,
        reported=reported,
        budget=budget,
        own=own,
        own_share=own_share,
        warnings=rule_warnings(funder_list, own_share, project.currency),
        from_partners=from_partners,
    )
