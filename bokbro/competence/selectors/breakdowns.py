"""Breakdowns of a survey's results by group: library, municipality, the size of the
municipality a library serves, and role; every group below the anonymity threshold held back
(results.shown_groups)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Case, CharField, Count, Value, When
from django.utils.translation import gettext_lazy as _

from bokbro.competence.models import Answer, Question, QuestionKind, Survey, pick
from bokbro.competence.selectors.results import _cached, _round, shown_groups
from bokbro.directory.models import Library, Municipality

DIMENSIONS = {
    "library": ("library_id", _("Library")),
    "municipality": ("municipality_id", _("Municipality")),
    "size": ("size_band", _("Size of the municipality")),
    "role": ("role", _("Role")),
}

# Libraries grouped by the population of the municipality they serve, as library statistics
# group them (the directory's population figures, ../shared/data).
SIZE_BANDS = (
    (5_000, _("Under 5,000 inhabitants")),
    (20_000, _("5,000–19,999 inhabitants")),
    (50_000, _("20,000–49,999 inhabitants")),
    (None, _("50,000 inhabitants or more")),
)


def _size_band(population: str) -> Case:
    """The band (1 to 4) of the municipality's population at `population` (a lookup path)."""
    whens = [
        When(**{f"{population}__lt": limit}, then=Value(str(band)))
        for band, (limit, _label) in enumerate(SIZE_BANDS, start=1)
        if limit is not None
    ]
    return Case(
        *whens,
        When(**{f"{population}__isnull": False}, then=Value(str(len(SIZE_BANDS)))),
        default=Value(""),
        output_field=CharField(),
    )


@dataclass
class Group:
    key: Any
    label: str
    size: int
    values: dict[Any, Decimal | None] = field(default_factory=dict)


@dataclass
class Breakdown:
    dimension: str
    columns: list[tuple[Any, str]]
    groups: list[Group]
    held_back: int  # respondents in groups too small to show


def breakdown(survey: Survey, dimension: str, question: Question, language: str) -> Breakdown:
    """The average of one scale question (or each area of a matrix) per group."""
    return _cached(
        survey,
        "breakdown",
        lambda: _breakdown(survey, dimension, question, language),
        dimension,
        question.pk,
        language,
    )


def _breakdown(survey: Survey, dimension: str, question: Question, language: str) -> Breakdown:
    column, _label = DIMENSIONS[dimension]
    responses = survey.responses.all()
    answers = Answer.objects.filter(question=question, response__survey=survey)
    answer_column = f"response__{column}"
    if dimension == "size":
        responses = responses.annotate(size_band=_size_band("municipality__population"))
        answers = answers.annotate(band=_size_band("response__municipality__population"))
        answer_column = "band"
    sizes = {
        row[column]: row["n"]
        for row in responses.values(column).annotate(n=Count("id")).order_by()
        if row[column] not in (None, "")
    }
    shown = shown_groups(sizes)
    if question.kind == QuestionKind.MATRIX:
        columns: list[tuple[Any, str]] = [
            (area.pk, pick(area.name, language)) for area in question.areas.all()
        ]
    else:
        columns = [(None, pick(question.text, language))]
    values: dict[Any, dict[Any, Decimal | None]] = defaultdict(dict)
    for row in (
        answers.exclude(number__isnull=True)
        .values(answer_column, "area_id")
        .annotate(average=Avg("number"))
        .order_by()
    ):
        key = row[answer_column]
        if key in shown:
            values[key][row["area_id"]] = _round(row["average"])
    labels = _group_labels(dimension, shown)
    groups = sorted(
        (
            Group(key=key, label=labels.get(key, str(key)), size=sizes[key], values=values[key])
            for key in shown
        ),
        # Size bands smallest first; the other groups by name.
        key=lambda group: group.key if dimension == "size" else group.label,
    )
    return Breakdown(
        dimension=dimension,
        columns=columns,
        groups=groups,
        held_back=sum(size for key, size in sizes.items() if key not in shown),
    )


def _group_labels(dimension: str, keys: set[Any]) -> dict[Any, str]:
    if dimension == "size":
        return {str(band): str(label) for band, (_l, label) in enumerate(SIZE_BANDS, start=1)}
    if dimension == "library":
        return dict(Library.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "municipality":
        return dict(Municipality.objects.filter(pk__in=keys).values_list("pk", "name"))
    from bokbro.competence.models import RespondentRole

    return {key: str(RespondentRole(key).label) for key in keys if key in RespondentRole.values}
