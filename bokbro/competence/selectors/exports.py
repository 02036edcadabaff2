"""The raw answers for the CSV and XLSX exports: one row per response, held to the same
anonymity rules as the results pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from bokbro.competence.models import Answer, QuestionKind, Response, Survey, pick
from bokbro.competence.selectors.results import min_group, shown_groups

# --- Raw answers (exports) --------------------------------------------------------------------


def export_columns(survey: Survey, language: str) -> list[tuple[str, Any, bool]]:
    """(header, (question id, area id), is the need flag) per column."""
    columns: list[tuple[str, Any, bool]] = []
    for question in survey.questions.prefetch_related("areas").order_by(
        F("section__order").asc(nulls_first=True), "order", "pk"
    ):
        text = pick(question.text, language)
        if question.kind == QuestionKind.MATRIX:
            for area in question.areas.all():
                name = pick(area.name, language)
                columns.append((f"{text}: {name}", (question.pk, area.pk), False))
                columns.append(
                    (f"{text}: {name} ({_('need training')})", (question.pk, area.pk), True)
                )
        else:
            columns.append((text, (question.pk, None), False))
    return columns


def export_rows(survey: Survey, language: str) -> tuple[list[str], list[list[Any]]]:
    """One row per response. Anonymous: no identity, and library, municipality and role only
    where that group has at least the threshold of respondents."""
    columns = export_columns(survey, language)
    position = {(*key, flag): i for i, (_h, key, flag) in enumerate(columns)}
    questions = {q.pk: q for q in survey.questions.all()}
    header = [
        str(_("Answer")),
        str(_("Date")),
        str(_("Library")),
        str(_("Municipality")),
        str(_("Role")),
    ]
    if not survey.anonymous:
        header += [str(_("Name")), str(_("Email"))]
    header += [title for title, _k, _f in columns]
    if survey.anonymous and survey.responses.count() < min_group():
        return header, []
    responses = list(
        survey.responses.select_related("library", "municipality", "invitation").order_by("pk")
    )
    libraries = shown_groups(_sizes(responses, "library_id"))
    municipalities = shown_groups(_sizes(responses, "municipality_id"))
    roles = shown_groups(_sizes(responses, "role"))
    cells: dict[int, list[Any]] = {r.pk: [None] * len(columns) for r in responses}
    multiple: dict[tuple[int, int], list[str]] = defaultdict(list)
    for response_id, question_id, area_id, number, text, flag in Answer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "question_id", "area_id", "number", "text", "flag"):
        row = cells.get(response_id)
        if row is None:
            continue
        question = questions[question_id]
        if area_id is not None:
            row[position[(question_id, area_id, False)]] = number
            row[position[(question_id, area_id, True)]] = 1 if flag else None
        elif question.kind == QuestionKind.MULTIPLE:
            multiple[(response_id, question_id)].append(
                pick(question.options[number - 1], language)
            )
        elif question.kind in (QuestionKind.SINGLE,):
            row[position[(question_id, None, False)]] = pick(question.options[number - 1], language)
        elif number is not None:
            row[position[(question_id, None, False)]] = number
        else:
            row[position[(question_id, None, False)]] = text
    for (response_id, question_id), chosen in multiple.items():
        cells[response_id][position[(question_id, None, False)]] = "; ".join(chosen)
    rows = []
    for number, response in enumerate(responses, start=1):
        identity: list[Any] = [
            number,
            response.submitted_on,
            response.library.name if response.library and response.library_id in libraries else "",
            (
                response.municipality.name
                if response.municipality and response.municipality_id in municipalities
                else ""
            ),
            response.get_role_display() if response.role in roles else "",
        ]
        if not survey.anonymous:
            invitation = response.invitation
            identity += [
                invitation.name if invitation else "",
                invitation.email if invitation else "",
            ]
        rows.append(identity + cells[response.pk])
    return header, rows


def _sizes(responses: list[Response], attribute: str) -> dict[Any, int]:
    sizes: dict[Any, int] = defaultdict(int)
    for response in responses:
        key = getattr(response, attribute)
        if key not in (None, ""):
            sizes[key] += 1
    return sizes
