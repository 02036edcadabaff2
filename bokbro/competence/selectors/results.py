"""Reads shared by the answer page, the results pages, the exports, the evaluation panel and the
plan: the questions a respondent sees, and the results aggregated in SQL (GROUP BY), so a
survey of 1,500 respondents x 40 questions reads in the same few queries as one of ten.

The anonymity threshold (`settings.COMPETENCE_MIN_GROUP`) is applied here, once, for every
page and export: an anonymous survey with fewer answers shows no figures at all, and a breakdown
never shows a group (library, municipality, role) with fewer; when the groups held back add up
to fewer than the threshold, the next smallest group is held back too, so no hidden group can
be found by subtracting the shown ones from the total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber

from bokbro.competence.models import (
    Answer,
    CompetenceArea,
    Question,
    QuestionAudience,
    QuestionKind,
    Survey,
    pick,
)

TEXTS_SHOWN = 30


def min_group() -> int:
    return int(getattr(settings, "COMPETENCE_MIN_GROUP", 5))


def questions_for(survey: Survey, *, role: str = "") -> list[Question]:
    """The survey's questions in order; the managers' part only for a library manager."""
    found = (
        survey.questions.select_related("section")
        .prefetch_related("areas")
        .order_by(F("section__order").asc(nulls_first=True), "order", "pk")
    )
    if role != "manager":
        found = found.exclude(audience=QuestionAudience.MANAGERS)
    return list(found)


@dataclass
class Block:
    question: Question
    section_title: str
    fields: list[Any]
    areas: list[tuple[Any, Any]] = field(default_factory=list)  # (level field, need field)
    show_if: str = ""
    show_value: str = ""
    hidden: bool = False


def answer_blocks(form: Any, questions: list[Question], language: str) -> list[Block]:
    """The form's fields grouped per question, with the section title where one starts."""
    blocks = []
    current = None
    for question in questions:
        title = ""
        if question.section_id != current:
            current = question.section_id
            title = pick(question.section.title, language) if question.section else ""
        block = Block(question=question, section_title=title, fields=[])
        if question.kind == QuestionKind.MATRIX:
            block.areas = [
                (form[f"q{question.pk}_a{area.pk}"], form[f"q{question.pk}_n{area.pk}"])
                for area in question.areas.all()
            ]
        else:
            block.fields = [form[f"q{question.pk}"]]
        if question.show_if_question_id:
            block.show_if = f"q{question.show_if_question_id}"
            block.show_value = str(question.show_if_value)
            block.hidden = not form.shown(question)
        blocks.append(block)
    return blocks


# --- Results ----------------------------------------------------------------------------------


def _round(value: Any, places: str = "0.1") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


@dataclass
class Bar:
    label: str
    count: int
    percent: Decimal


@dataclass
class AreaRow:
    area_id: int
    label: str
    bars: list[Bar]
    answered: int
    average: Decimal | None
    need: int
    previous: Decimal | None = None


@dataclass
class QuestionResult:
    question_id: int
    kind: str
    label: str
    audience: str
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: Decimal | None = None
    lowest: int | None = None
    highest: int | None = None
    areas: list[AreaRow] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    text_count: int = 0
    previous: Decimal | None = None
    copied_from_id: int | None = None


@dataclass
class Results:
    invited: int
    answered_invitations: int
    responses: int
    withheld: bool
    questions: list[QuestionResult]

    @property
    def rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return _round(100 * self.answered_invitations / self.invited)


def _bars(labels: list[str], counts: dict[int, int], base: int) -> list[Bar]:
    return [
        Bar(
            label=label,
            count=counts.get(i, 0),
            percent=(_round(100 * counts.get(i, 0) / base) or Decimal("0.0"))
            if base
            else Decimal("0.0"),
        )
        for i, label in enumerate(labels, start=1)
    ]


def results(survey: Survey, language: str) -> Results:
    """The survey's results, cached per survey version (each answer sent bumps it)."""
    key = f"competence:results:{survey.pk}:{survey.version}:{language}:{min_group()}"
    found = cache.get(key)
    if found is None:
        found = _compute_results(survey, language)
        cache.set(key, found, 3600)
    return found


# Size: one pass over five GROUP BY queries, read top to bottom.
def _compute_results(survey: Survey, language: str) -> Results:
    invitations = survey.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True))
    )
    responses = survey.responses.count()
    withheld = survey.anonymous and responses < min_group()
    questions = list(
        survey.questions.prefetch_related("areas").order_by(
            F("section__order").asc(nulls_first=True), "order", "pk"
        )
    )
    result = Results(
        invited=invitations["invited"],
        answered_invitations=invitations["answered"],
        responses=responses,
        withheld=withheld,
        questions=[],
    )
    if withheld:
        return result
    answers = Answer.objects.filter(question__survey=survey)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        answers.filter(area__isnull=True, number__isnull=False)
        .values("question_id", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["question_id"]][int(row["number"] or 0)] = row["n"]
    per_question = {
        row["question_id"]: row
        for row in answers.values("question_id")
        .annotate(
            answered=Count("response_id", distinct=True),
            average=Avg("number"),
            lowest=Min("number"),
            highest=Max("number"),
        )
        .order_by()
    }
    matrix: dict[tuple[int, int], dict[str, Any]] = defaultdict(
        lambda: {"levels": {}, "need": 0, "answered": 0, "sum": 0}
    )
    for mrow in (
        answers.filter(area__isnull=False)
        .values("question_id", "area_id", "number")
        .annotate(n=Count("id"), need=Count("id", filter=Q(flag=True)))
        .order_by()
    ):
        cell = matrix[(mrow["question_id"], mrow["area_id"])]
        cell["need"] += int(mrow["need"] or 0)
        if mrow["number"] is not None:
            cell["levels"][mrow["number"]] = mrow["n"]
            cell["answered"] += mrow["n"]
            cell["sum"] += mrow["n"] * mrow["number"]
    texts: dict[int, list[str]] = defaultdict(list)
    for trow in (
        answers.filter(text__gt="")
        .annotate(
            position=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc())
        )
        .filter(position__lte=TEXTS_SHOWN)
        .values("question_id", "text")
    ):
        texts[trow["question_id"]].append(trow["text"])
    for question in questions:
        stats: Any = per_question.get(question.pk, {})
        item = QuestionResult(
            question_id=question.pk,
            kind=question.kind,
            label=pick(question.text, language),
            audience=question.audience,
            answered=stats.get("answered", 0),
            copied_from_id=question.copied_from_id,
        )
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.LIKERT):
            labels = [pick(option, language) for option in question.options]
            item.bars = _bars(labels, counts.get(question.pk, {}), item.answered)
            if question.kind == QuestionKind.LIKERT:
                item.average = _round(stats.get("average"))
        elif question.kind == QuestionKind.NUMBER:
            item.average = _round(stats.get("average"))
            item.lowest, item.highest = stats.get("lowest"), stats.get("highest")
        elif question.kind == QuestionKind.MATRIX:
            for area in question.areas.all():
                cell = matrix[(question.pk, area.pk)]
                item.areas.append(
                    AreaRow(
                        area_id=area.pk,
                        label=pick(area.name, language),
                        bars=_bars(
                            [str(level) for level in range(1, 6)],
                            cell["levels"],
                            cell["answered"],
                        ),
                        answered=cell["answered"],
                        average=(
                            _round(cell["sum"] / cell["answered"]) if cell["answered"] else None
                        ),
                        need=cell["need"],
                    )
                )
        else:
            item.texts = texts.get(question.pk, [])
            item.text_count = item.answered
        result.questions.append(item)
    return result


def compare_with_previous(survey: Survey, current: Results, language: str) -> bool:
    """Fill each result's `previous` average from the wave the survey was copied from."""
    previous_survey = survey.previous
    if previous_survey is None or current.withheld:
        return False
    before = results(previous_survey, language)
    if before.withheld:
        return False
    by_id = {item.question_id: item for item in before.questions}
    for item in current.questions:
        old = by_id.get(item.copied_from_id or 0)
        if old is None:
            continue
        item.previous = old.average
        old_areas = {row.area_id: row.average for row in old.areas}
        for row in item.areas:
            row.previous = old_areas.get(row.area_id)
    return True


# --- Shared by the breakdowns and gaps -------------------------------------------------


def shown_groups(sizes: dict[Any, int]) -> set[Any]:
    """The groups big enough to show, with one more held back when the small ones together
    would be fewer than the threshold (else the total minus the shown ones gives them away)."""
    threshold = min_group()
    shown = {key for key, size in sizes.items() if size >= threshold}
    hidden_total = sum(size for key, size in sizes.items() if key not in shown)
    if 0 < hidden_total < threshold and shown:
        shown.discard(min(shown, key=lambda key: (sizes[key], str(key))))
    return shown


def _cached(survey: Survey, name: str, compute: Any, *key: Any) -> Any:
    """A read of the survey's answers, cached until the next answer (the survey's version)."""
    cache_key = ":".join(
        str(part) for part in ("competence", name, survey.pk, survey.version, min_group(), *key)
    )
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        cache.set(cache_key, found, 3600)
    return found


# --- Gaps (a mapping) -------------------------------------------------------------------------


@dataclass
class Gap:
    area: CompetenceArea
    label: str
    have: Decimal | None
    need: Decimal | None
    gap: Decimal | None
    wants_training: int


def gaps(survey: Survey, language: str) -> list[Gap]:
    """Per competence area: the staff's own level, the level their managers say is needed, the
    gap between, and how many ticked "need training"; biggest gap first."""
    return _cached(survey, "gaps", lambda: _gaps(survey, language), language)


def _gaps(survey: Survey, language: str) -> list[Gap]:
    if survey.anonymous and survey.responses.count() < min_group():
        return []
    rows = (
        Answer.objects.filter(question__survey=survey, area__isnull=False)
        .values("area_id", "question__audience")
        .annotate(
            average=Avg("number"),
            need=Count("id", filter=Q(flag=True)),
            n=Count("response_id", distinct=True),
        )
        .order_by()
    )
    have: dict[int, Any] = {}
    need: dict[int, Any] = {}
    wants: dict[int, int] = defaultdict(int)
    for row in rows:
        if row["question__audience"] == QuestionAudience.MANAGERS:
            if row["n"] >= min_group() or not survey.anonymous:
                need[row["area_id"]] = row["average"]
        else:
            have[row["area_id"]] = row["average"]
            wants[row["area_id"]] += int(row["need"] or 0)
    areas = CompetenceArea.objects.filter(pk__in=set(have) | set(need))
    found = []
    for area in areas:
        h, n = have.get(area.pk), need.get(area.pk)
        found.append(
            Gap(
                area=area,
                label=pick(area.name, language),
                have=_round(h),
                need=_round(n),
                gap=_round(n - h) if h is not None and n is not None else None,
                wants_training=wants[area.pk],
            )
        )
    return sorted(found, key=lambda g: (-(g.gap or Decimal("-99")), -g.wants_training, g.label))
