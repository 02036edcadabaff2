"""Reads shared by the pages, exports, the evaluation panel and the plan (results.py: the
results and breakdowns; exports.py: the raw answers)."""

from bokbro.competence.selectors.exports import export_columns, export_rows
from bokbro.competence.selectors.results import (
    DIMENSIONS,
    Breakdown,
    Gap,
    Results,
    answer_blocks,
    breakdown,
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
    "Gap",
    "Results",
    "answer_blocks",
    "breakdown",
    "compare_with_previous",
    "export_columns",
    "export_rows",
    "gaps",
    "min_group",
    "questions_for",
    "results",
    "shown_groups",
]
