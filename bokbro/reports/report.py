"""The agency's annual report for one year (årsmelding / verksamhetsberättelse).

`build_report(agency, year)` computes every number once; the web page, the PDF and the XLSX
all render the same `Report`. It reads the year's activities once per registered source, the
region's municipalities, the plan tree, the indicators, the municipal library plans and the
report texts: a fixed number of queries, whatever the amount of data.

Sections (and the `ReportText.section` keys of their introductions): "intro" (the agency's
introduction), one per focus area of the plan ("focus:<id>"), "reach" (libraries and
municipalities reached), "plans" (municipal library plans) and "totals" (the year in numbers).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bokbro.core.markdown import render_markdown
from bokbro.core.sources import Activity, Funding
from bokbro.directory.models import Agency, Municipality
from bokbro.plans import kb
from bokbro.plans.models import (
    Indicator,
    IndicatorSource,
    IndicatorValue,
    MunicipalPlanStatus,
    Plan,
)
from bokbro.plans.selectors import choose_plan
from bokbro.reports import charts
from bokbro.reports.followup import FollowUp, follow_up, funding_by_source
from bokbro.reports.metrics import COMPUTE
from bokbro.reports.selectors import region_municipalities, report_texts

# The bar chart shows the municipalities with most participants; the table has them all.
CHART_BARS = 25

FIXED_SECTIONS = {
    "intro": gettext_lazy("Introduction"),
    "reach": gettext_lazy("Libraries and municipalities reached"),
    "plans": gettext_lazy("Municipal library plans"),
    "totals": gettext_lazy("The year in numbers"),
}


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None
    note: str = ""

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the target (None: no value or no target)."""
        if self.value is None or self.target is None:
            return None
        if self.indicator.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target


@dataclass
class MunicipalityRow:
    municipality: Municipality
    participants: int = 0
    consultations: int = 0
    projects: int = 0
    activities: int = 0

    @property
    def reached(self) -> bool:
        return self.activities > 0


@dataclass
class Report:
    agency: Agency
    year: int
    plan: Plan | None
    followup: FollowUp
    texts: dict[str, str]  # section → Markdown as written
    municipalities: list[MunicipalityRow]
    plan_statuses: list[kb.MunicipalityRow]  # the municipal library plan register
    plan_counts: kb.PlanCounts
    sections: list[tuple[str, Any]] = field(default_factory=list)  # (key, title) to write

    @property
    def funding(self) -> list[tuple[str, Funding]]:
        """The year's money by source: applied, granted, own and reported apart."""
        return list(funding_by_source(self.followup).items())

    @property
    def funding_total(self) -> Funding:
        return sum((amount for _source, amount in self.funding), Funding())

    @property
    def named(self) -> list[tuple[Any, list[Activity]]]:
        """The activities the report names one by one (courses, projects…), per source, by
        date: each source's `named_in_report` chooses them."""
        result = []
        for source in self.followup.sources:
            if source.named_in_report is None:
                continue
            chosen = [
                activity
                for activity in self.followup.activities.get(source.key, ())
                if source.named_in_report(activity)
            ]
            if chosen:
                chosen.sort(key=lambda a: (a.date is None, a.date or date.min, a.title))
                result.append((source, chosen))
        return result

    def html(self, section: str) -> SafeString:
        return render_markdown(self.texts.get(section, ""))

    @property
    def section_html(self) -> dict[str, SafeString]:
        return {key: self.html(key) for key in FIXED_SECTIONS}

    @property
    def area_sections(self) -> list[tuple[Any, SafeString]]:
        return [(area, self.html(f"focus:{area.area.pk}")) for area in self.followup.areas]

    @property
    def has_participants(self) -> bool:
        return any(row.participants for row in self.municipalities)

    @property
    def reached(self) -> list[MunicipalityRow]:
        return [row for row in self.municipalities if row.reached]

    @property
    def not_reached(self) -> list[MunicipalityRow]:
        return [row for row in self.municipalities if not row.reached]

    @property
    def reached_share(self) -> int:
        if not self.municipalities:
            return 0
        return round(100 * len(self.reached) / len(self.municipalities))

    @property
    def current_share(self) -> Decimal | None:
        return self.plan_counts.share(MunicipalPlanStatus.CURRENT)

    @property
    def without_current_plan(self) -> list[kb.MunicipalityRow]:
        return [row for row in self.plan_statuses if row.status != MunicipalPlanStatus.CURRENT]

    @property
    def participants_chart(self) -> SafeString:
        rows = sorted(
            (row for row in self.municipalities if row.participants),
            key=lambda row: (-row.participants, row.municipality.name),
        )[:CHART_BARS]
        return charts.bar_chart(
            [(row.municipality.name, row.participants) for row in rows],
            title=_("Participants per municipality, %(year)s") % {"year": self.year},
            desc=_(
                "Course and event participants from the libraries of each municipality, "
                "largest first (at most %(count)s municipalities). The table below gives the "
                "numbers of every municipality."
            )
            % {"count": CHART_BARS},
        )

    @property
    def reach_chart(self) -> SafeString:
        return charts.tile_chart(
            [(row.municipality.name, row.reached) for row in self.municipalities],
            title=_("Municipalities reached in %(year)s") % {"year": self.year},
            desc=ngettext(
                "%(reached)s of %(total)s municipalities was reached by a course, a "
                "consultation or a project. The table below lists it.",
                "%(reached)s of %(total)s municipalities were reached by a course, a "
                "consultation or a project. The table below lists them.",
                len(self.reached),
            )
            % {"reached": len(self.reached), "total": len(self.municipalities)},
            reached_label=_("Reached"),
            not_reached_label=_("Not reached"),
        )


def _indicators(plan: Plan, year: int) -> dict[int, list[IndicatorRow]]:
    by_goal: dict[int, list[IndicatorRow]] = defaultdict(list)
    indicators = Indicator.objects.filter(goal__plan=plan).order_by("order", "pk")
    values = {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(indicator__goal__plan=plan, year=year)
    }
    for indicator in indicators:
        value = values.get(indicator.pk)
        by_goal[indicator.goal_id].append(
            IndicatorRow(indicator, value.value if value else None, value.note if value else "")
        )
    return by_goal


def _computed(row: IndicatorRow, group: Any, region_size: int, counts: Any) -> IndicatorRow:
    """A computed indicator's value for the year, from the goal's activities (metrics.py)."""
    if row.indicator.source != IndicatorSource.COMPUTED:
        return row
    compute = COMPUTE.get(row.indicator.metric)
    if compute is None:
        return row
    return IndicatorRow(row.indicator, compute(group, region_size, counts), row.note)


def _municipality_rows(followup: FollowUp) -> list[MunicipalityRow]:
    rows = {m.pk: MunicipalityRow(m) for m in followup.region}
    for activities in followup.activities.values():
        for activity in activities:
            for municipality_id in activity.municipality_ids:
                row = rows.get(municipality_id)
                if row is None:
                    continue
                row.activities += 1
                if activity.source == "advisory":
                    row.consultations += 1
                elif activity.source == "projects" and activity.numbers.get("projects"):
                    row.projects += 1
            for municipality_id, n in activity.numbers.get("by_municipality", {}).items():
                if municipality_id in rows:
                    rows[municipality_id].participants += n
    return list(rows.values())


def build_report(agency: Agency, year: int, plan: Plan | None = None) -> Report:
    if plan is None:
        plan = choose_plan(agency, year)
    region = region_municipalities(agency)
    followup = follow_up(agency, year, plan, region=region)
    # The register of municipal library plans under KB's rule.
    statuses = kb.municipal_plan_overview(agency, year)
    plan_counts = kb.counts_of(statuses, year)
    if plan is not None:
        indicators = _indicators(plan, year)
        for area in followup.areas:
            for goal in area.goals:
                goal.indicators = [
                    _computed(row, goal.group, len(region), plan_counts)
                    for row in indicators.get(goal.goal.pk, [])
                ]
    texts = report_texts(agency, year)
    sections: list[tuple[str, Any]] = [("intro", FIXED_SECTIONS["intro"])]
    sections += [(f"focus:{area.area.pk}", str(area.area)) for area in followup.areas]
    sections += [(key, FIXED_SECTIONS[key]) for key in ("reach", "plans", "totals")]
    return Report(
        agency=agency,
        year=year,
        plan=plan,
        followup=followup,
        texts=texts,
        municipalities=_municipality_rows(followup),
        plan_statuses=statuses,
        plan_counts=plan_counts,
        sections=sections,
    )


# --- The report as a spreadsheet: one sheet per table ------------------------------------------


def _figure_rows(prefix: list[Any], blocks: list[Any]) -> list[list[Any]]:
    rows = []
    for block in blocks:
        for figure in block.figures:
            value = figure.value
            rows.append(
                [*prefix, str(block.source.title), str(figure.label), value, str(figure.unit)]
            )
    return rows


def _area_rows(followup: FollowUp) -> list[list[Any]]:
    rows = []
    for area in followup.areas:
        rows += _figure_rows([str(area.area), ""], area.group.blocks)
        for goal in area.goals:
            rows += _figure_rows([str(area.area), str(goal.goal)], goal.group.blocks)
    return rows


def _activity_rows(followup: FollowUp) -> list[list[Any]]:
    goal_names = {goal.goal.pk: str(goal.goal) for area in followup.areas for goal in area.goals}
    return [
        [
            str(source.title),
            activity.kind,
            activity.title,
            activity.date,
            ", ".join(goal_names[g] for g in sorted(activity.goal_ids) if g in goal_names),
            activity.people,
        ]
        for source in followup.sources
        for activity in followup.activities.get(source.key, ())
    ]


def report_sheets(report: Report) -> list[Any]:
    from bokbro.core.exports import Sheet

    followup = report.followup
    yes, no = _("Yes"), _("No")
    totals = _figure_rows([], followup.total.blocks)
    areas = _area_rows(followup)
    municipalities = [
        [
            row.municipality.name,
            yes if row.reached else no,
            row.participants,
            row.consultations,
            row.projects,
        ]
        for row in report.municipalities
    ]
    plans = [
        [
            row.municipality.name,
            row.status_label,
            row.plan.title if row.plan else "",
            f"{row.plan.starts_year}–{row.plan.ends_year or ''}" if row.plan else "",
        ]
        for row in report.plan_statuses
    ]
    indicators = [
        [str(goal.goal), str(row.indicator), row.indicator.unit, row.target, row.value, row.note]
        for area in followup.areas
        for goal in area.goals
        for row in goal.indicators
    ]
    funding = [
        [source, amount.applied, amount.granted, amount.own, amount.reported]
        for source, amount in report.funding
    ]
    activities = _activity_rows(followup)
    return [
        Sheet(
            _("The year in numbers"), [_("Activity"), _("Figure"), _("Value"), _("Unit")], totals
        ),
        Sheet(
            _("Focus areas and goals"),
            [_("Focus area"), _("Goal"), _("Activity"), _("Figure"), _("Value"), _("Unit")],
            areas,
        ),
        Sheet(
            _("Municipalities"),
            [_("Municipality"), _("Reached"), _("Participants"), _("Consultations"), _("Projects")],
            municipalities,
        ),
        Sheet(
            _("Funding"),
            [_("Source"), _("Applied for"), _("Granted"), _("Own funding"), _("Reported as spent")],
            funding,
        ),
        Sheet(
            _("Municipal library plans"),
            [_("Municipality"), _("Status"), _("Plan"), _("Period")],
            plans,
        ),
        Sheet(
            _("Indicators"),
            [_("Goal"), _("Indicator"), _("Unit"), _("Target"), _("Value"), _("Note")],
            indicators,
        ),
        Sheet(
            _("Activities"),
            [_("Activity"), _("Type"), _("Title"), _("Date"), _("Goals"), _("Participants")],
            activities,
        ),
    ]
