"""The results pages: response rate, each question as an SVG chart with the same numbers in a
table, the previous wave beside, the gaps per competence area, breakdowns by library,
municipality and role (groups under the threshold held back), and the raw answers as CSV and
XLSX (anonymous surveys without identity). Every figure comes from selectors.py, which holds
the threshold for all of them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bokbro.competence import selectors
from bokbro.competence.access import staff_object, staff_survey_key
from bokbro.competence.models import Question, QuestionKind, Survey
from bokbro.core.exports import XLSX_TYPE, attachment, csv_response
from bokbro.core.kept_parts import Part, page_with_parts
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


def _language() -> str:
    return (get_language() or "nb")[:2]


# The two results pages keep their breadcrumbs and content rendered in the cache per survey
# version (and the previous wave's, the language and the anonymity threshold; core/kept_parts.py):
# on a hit a page reads the survey's key (access.staff_survey_key) and its two kept parts; the
# survey, its questions and its figures are read only when a part is missing. Every write that
# changes what they show makes a new version (services.survey_version_bump).


@staff_required
def results(request: StaffRequest, pk: int) -> HttpResponse:
    key = staff_survey_key(request, pk)
    language = _language()
    kept = (
        f"competence.results.{key.pk}.{key.version}.{key.previous_version or 0}."
        f"{language}.{selectors.min_group()}"
    )

    def part_context() -> dict[str, Any]:
        survey = Survey.objects.select_related("previous").get(pk=key.pk)
        found = selectors.results(survey, language)
        return {
            "survey": survey,
            "here": _("Results"),
            "results": found,
            "compared": selectors.compare_with_previous(survey, found, language),
            "gaps": selectors.gaps(survey, language) if not found.withheld else [],
        }

    return page_with_parts(
        request,
        "competence/staff/results.html",
        {"key": key, "min_group": selectors.min_group()},
        parts={
            "breadcrumbs": Part(f"{kept}.crumbs", "competence/staff/_breadcrumbs.html"),
            "content": Part(kept, "competence/staff/_results.html"),
        },
        part_context=part_context,
    )


def _scale_questions(survey: Survey) -> list[Question]:
    return list(
        survey.questions.filter(
            kind__in=[QuestionKind.LIKERT, QuestionKind.MATRIX, QuestionKind.NUMBER]
        ).order_by("order", "pk")
    )


@staff_required
def breakdown(request: StaffRequest, pk: int, dimension: str) -> HttpResponse:
    key = staff_survey_key(request, pk)
    if dimension not in selectors.DIMENSIONS:
        raise Http404
    # The question asked for (the first scale question when it is none of them), in the key as
    # asked: the page kept for it is the one it shows.
    asked = request.GET.get("question", "")
    chosen = int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 12 else 0
    language = _language()
    dimension_label = selectors.DIMENSIONS[dimension][1]
    kept = (
        f"competence.breakdown.{key.pk}.{key.version}.{dimension}.{chosen}."
        f"{language}.{selectors.min_group()}"
    )

    def part_context() -> dict[str, Any]:
        survey = Survey.objects.get(pk=key.pk)
        questions = _scale_questions(survey)
        question = next(
            (q for q in questions if q.pk == chosen), questions[0] if questions else None
        )
        withheld = survey.anonymous and survey.responses.count() < selectors.min_group()
        return {
            "survey": survey,
            "here": dimension_label,
            "dimensions": [(name, label) for name, (_c, label) in selectors.DIMENSIONS.items()],
            "questions": questions,
            "question": question,
            "withheld": withheld,
            "table": (
                selectors.breakdown(survey, dimension, question, language)
                if question is not None and not withheld
                else None
            ),
        }

    return page_with_parts(
        request,
        "competence/staff/breakdown.html",
        {
            "key": key,
            "dimension": dimension,
            "dimension_label": dimension_label,
            "min_group": selectors.min_group(),
        },
        parts={
            "breadcrumbs": Part(f"{kept}.crumbs", "competence/staff/_breadcrumbs.html"),
            "content": Part(kept, "competence/staff/_breakdown.html"),
        },
        part_context=part_context,
    )


@staff_required
def export_csv(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    header, rows = selectors.export_rows(survey, _language())
    return csv_response(header, rows, f"survey-{survey.pk}.csv")


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """The raw answers as XLSX in openpyxl's write-only mode (rows streamed to the file, no cell
    objects kept): 1,500 x 200 cells in well under a second, where core.exports' styled
    workbook (column widths read back from every cell) takes several."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.data_type = "s"
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # never a formula
                values.append(cell)
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                values.append(cell)
            else:
                values.append(value)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@staff_required
def export_xlsx(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    language = _language()
    # The file is made once per version of the survey (each answer sent makes a new one).
    key = f"competence:xlsx:{survey.pk}:{survey.version}:{language}:{selectors.min_group()}"
    content = cache.get(key)
    if content is None:
        header, rows = selectors.export_rows(survey, language)
        content = xlsx_bytes(header, rows)
        cache.set(key, content, 3600)
    return attachment(content, XLSX_TYPE, f"survey-{survey.pk}.xlsx")


@staff_required
def evaluation_sums(request: StaffRequest) -> HttpResponse:
    """The agency's course evaluations summed per year, competence area and course series."""
    return render(
        request,
        "competence/staff/evaluation_sums.html",
        {
            "sums": selectors.evaluation_sums(request.agency, _language()),
            "min_group": selectors.min_group(),
        },
    )
