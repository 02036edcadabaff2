"""Reads shared by the pages, exports, the evaluation panel and the plan (results.py: the
results; breakdowns.py: by group; exports.py: the raw answers; evaluations.py: the course
evaluations summed per year, competence area and course series)."""

from bokbro.competence.selectors.breakdowns import DIMENSIONS, Breakdown, breakdown
from bokbro.competence.selectors.evaluations import EvaluationSums, evaluation_sums
from bokbro.competence.selectors.exports import export_columns, export_rows
from bokbro.competence.selectors.results import (
    Gap,
    Results,
    answer_blocks,
    compare_with_previous,
    gaps,
    min_group,
    questions_for,
    results,
    shown_groups,
)

__all__ = [
    "DIMENSIONS",
    "Breakdown",
    "EvaluationSums",
    "Gap",
    "Results",
    "answer_blocks",
    "breakdown",
    "compare_with_previous",
    "evaluation_sums",
    "export_columns",
    "export_rows",
    "gaps",
    "min_group",
    "questions_for",
    "results",
    "shown_groups",
]
