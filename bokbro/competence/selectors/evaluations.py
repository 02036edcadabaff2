"""The course evaluations summed: per year, per competence area (the events a development plan
tags with the area) and per course series, each with its invitations, answers, response rate
and the average of the 1-5 scale answers. Four queries for all of an agency's evaluations.

The anonymity threshold holds here as in the annual report: an evaluation with fewer answers
than `COMPETENCE_MIN_GROUP` adds its invitations and answers to the sums but not its scale
answers to the average (it is counted as held back), so no sum can give away what a handful of
respondents said, also not by comparing two sums."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from bokbro.competence.models import Answer, PlanArea, QuestionKind, Survey, pick
from bokbro.competence.selectors.results import min_group
from bokbro.events.models import EventKind


@dataclass
class EvaluationSum:
    """One row: a year, an area or a course series, and what its evaluations add up to."""

    label: str
    survey_id: int | None = None  # a course series: its evaluation's results page
    evaluations: int = 0
    invited: int = 0
    answered: int = 0
    responses: int = 0
    held_back: int = 0  # evaluations under the threshold, left out of the average
    scale_total: int = 0
    scale_answers: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return Decimal(100 * self.answered / self.invited).quantize(Decimal("1"))

    @property
    def average(self) -> Decimal | None:
        if not self.scale_answers:
            return None
        return Decimal(self.scale_total / self.scale_answers).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def add(self, survey: Any, scale: tuple[int, int] | None) -> None:
        self.evaluations += 1
        self.invited += survey.invited
        self.answered += survey.answered
        self.responses += survey.responses_count
        if survey.responses_count < min_group():
            self.held_back += 1
        elif scale is not None:
            self.scale_total += scale[0]
            self.scale_answers += scale[1]


@dataclass
class EvaluationSums:
    years: list[EvaluationSum] = field(default_factory=list)
    areas: list[EvaluationSum] = field(default_factory=list)
    series: list[EvaluationSum] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.years


def evaluation_sums(agency: Any, language: str) -> EvaluationSums:
    """Every built-in evaluation of the agency's events, summed three ways."""
    surveys = list(
        Survey.objects.filter(agency=agency, is_template=False, event__isnull=False)
        .select_related("event")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
            responses_count=Count("responses", distinct=True),
        )
        .order_by("event__starts_at", "pk")
    )
    scales = {
        row["question__survey_id"]: (row["total"] or 0, row["count"])
        for row in Answer.objects.filter(
            question__survey__in=surveys,
            question__kind=QuestionKind.LIKERT,
            number__isnull=False,
        )
        .values("question__survey_id")
        .annotate(total=Sum("number"), count=Count("pk"))
        .order_by()
    }
    # The competence areas each event serves, by the development plans that tag it.
    tagged: dict[int, dict[int, str]] = defaultdict(dict)
    for event_id, area_id, name in (
        PlanArea.events.through.objects.filter(
            planarea__plan__agency=agency, event__in=[s.event_id for s in surveys]
        )
        .values_list("event_id", "planarea__area_id", "planarea__area__name")
        .distinct()
    ):
        tagged[event_id][area_id] = pick(name, language)
    years: dict[int, EvaluationSum] = {}
    areas: dict[int, EvaluationSum] = {}
    series: list[EvaluationSum] = []
    for survey in surveys:
        event = survey.event
        if event is None:  # filtered out above; for the type checker
            continue
        scale = scales.get(survey.pk)
        year = event.starts_at.year
        years.setdefault(year, EvaluationSum(label=str(year))).add(survey, scale)
        for area_id, name in tagged[event.pk].items():
            areas.setdefault(area_id, EvaluationSum(label=name)).add(survey, scale)
        if event.kind == EventKind.COURSE_SERIES:
            row = EvaluationSum(label=f"{event.title} ({year})", survey_id=survey.pk)
            row.add(survey, scale)
            series.append(row)
    return EvaluationSums(
        years=[years[year] for year in sorted(years, reverse=True)],
        areas=sorted(areas.values(), key=lambda row: row.label),
        series=series,
    )
