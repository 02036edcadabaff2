"""What the competence module tells the plan follow-up and the annual report: each course
evaluation (an event's built-in evaluation) of the year, with its response rate and its average
answer on the 1-5 scales, and each needs survey or mapping closed in the year with its response
rate; and each competence development plan in force in the year, under the regional plan's
goals it serves. Five queries for all of an agency's surveys and plans of the year.

Numbers: invited, answered (invitations answered), responses, and for an evaluation the average
of its scale answers (`average`, 1 decimal), counted only when the survey has at least
COMPETENCE_MIN_GROUP responses (anonymity)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bokbro.competence.models import Answer, Plan, QuestionKind, Survey, SurveyKind, pick
from bokbro.core.sources import Activity, ActivitySource, Figure


def activities(agency: Any, year: int) -> list[Activity]:
    found_surveys = (
        Survey.objects.filter(agency=agency, is_template=False)
        .filter(
            Q(event__isnull=False, event__starts_at__year=year)
            | Q(event__isnull=True, created_at__year=year)
        )
        .select_related("event")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
            responses_count=Count("responses", distinct=True),
        )
    )
    surveys = list(found_surveys)
    averages = dict(
        Answer.objects.filter(question__survey__in=surveys, question__kind=QuestionKind.LIKERT)
        .values("question__survey_id")
        .annotate(avg=Avg("number"))
        .order_by()
        .values_list("question__survey_id", "avg")
    )
    found = []
    for survey in surveys:
        numbers: dict[str, Any] = {
            "invited": survey.invited,  # type: ignore[attr-defined]
            "answered": survey.answered,  # type: ignore[attr-defined]
            "responses": survey.responses_count,  # type: ignore[attr-defined]
            "evaluation": 1 if survey.event_id else 0,
        }
        average = averages.get(survey.pk)
        if average is not None and numbers["responses"] >= settings.COMPETENCE_MIN_GROUP:
            numbers["average"] = Decimal(str(average)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        event = survey.event
        found.append(
            Activity(
                source="competence",
                kind=str(
                    _("Course evaluation")
                    if event
                    else (
                        _("Competence mapping")
                        if survey.kind == SurveyKind.MAPPING
                        else _("Needs survey")
                    )
                ),
                title=pick(survey.title),
                url=reverse("competence:survey", args=[survey.pk]),
                date=event.starts_at.date() if event else survey.created_at.date(),
                goal_ids=frozenset(),
                people=numbers["responses"],
                numbers=numbers,
            )
        )
    # The competence development plans in force in the year, under the regional plan's goals
    # they serve (one query for the plans and their goals).
    plans = Plan.objects.filter(
        agency=agency, starts_year__lte=year, ends_year__gte=year
    ).prefetch_related("plan_goals")
    for plan in plans:
        found.append(
            Activity(
                source="competence",
                kind=str(_("Competence development plan")),
                title=plan.title,
                url=reverse("competence:plan", args=[plan.pk]),
                goal_ids=frozenset(goal.pk for goal in plan.plan_goals.all()),
                numbers={"plan": 1, "invited": 0, "answered": 0, "responses": 0},
            )
        )
    return found


def figures(activities: list[Activity]) -> list[Figure]:
    evaluations = [a for a in activities if a.numbers.get("evaluation")]
    plans = [a for a in activities if a.numbers.get("plan")]
    surveys = [a for a in activities if not a.numbers.get("evaluation") and a not in plans]
    figures_ = [
        Figure(_("Surveys of library staff"), len(surveys)),
        Figure(_("Course evaluations"), len(evaluations)),
    ]
    if plans:
        figures_.append(Figure(_("Competence development plans"), len(plans)))
    invited = sum(a.numbers["invited"] for a in evaluations)
    answered = sum(a.numbers["answered"] for a in evaluations)
    if invited:
        figures_.append(
            Figure(
                _("Evaluation response rate"),
                Decimal(100 * answered / invited).quantize(Decimal("1")),
                "%",
            )
        )
    averaged = [a for a in evaluations if "average" in a.numbers]
    if averaged:
        figures_.append(
            Figure(
                _("Average evaluation score"),
                (sum(a.numbers["average"] for a in averaged) / len(averaged)).quantize(
                    Decimal("0.1")
                ),
            )
        )
    return figures_


SOURCE = ActivitySource(
    key="competence", title=_("Competence"), order=60, activities=activities, figures=figures
)
