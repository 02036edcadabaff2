"""The competence module's part of the JSON API, for the site's agency's own team (signed in;
the session's cookie): its surveys, and a survey's results aggregated as on the results page.

Never a single answer: a survey with fewer than `COMPETENCE_MIN_GROUP` answers gives no figures
at all (`withheld`), named or anonymous; there are no free-text answers, no lowest or highest
number and no breakdown by group, only counts and averages over all who answered. Everyone
else is refused: 401 without a session, 403 for someone not on the agency's team."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bokbro.competence import selectors
from bokbro.competence.models import Survey, pick
from bokbro.competence.selectors.results import Bar, QuestionResult
from bokbro.core.apierrors import ApiError, ErrorOut
from bokbro.core.pagination import LimitOffset
from bokbro.directory.access import require_agency_staff
from bokbro.directory.models import Agency
from bokbro.directory.tenancy import site_agency

router = Router(tags=["competence"])
REFUSED = {401: ErrorOut, 403: ErrorOut}


class SurveyOut(Schema):
    id: int
    title: str
    kind: str = Field(..., description="needs, mapping or evaluation")
    status: str = Field(..., description="draft, open or closed")
    anonymous: bool
    closes_on: date | None
    event: int | None = Field(..., description="The event an evaluation belongs to.")
    previous: int | None = Field(..., description="The survey this one is a new wave of.")
    invited: int
    answered: int = Field(..., description="Invitations answered.")
    responses: int = Field(..., description="Answers in all (open link included).")
    url: str = Field(..., description="The results page.")


class OptionOut(Schema):
    label: str
    count: int
    percent: Decimal


class AreaOut(Schema):
    area: int
    label: str
    answered: int
    average: Decimal | None
    need_training: int
    levels: list[OptionOut]


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    audience: str = Field(..., description="all, or managers (the managers' part)")
    answered: int
    average: Decimal | None = Field(..., description="Scale and number questions.")
    options: list[OptionOut] = Field(..., description="Choice and scale questions.")
    areas: list[AreaOut] = Field(..., description="A competence matrix, per area.")
    previous_average: Decimal | None = Field(
        ..., description="The same question's average in the previous wave."
    )


class ResultsOut(Schema):
    survey: int
    invited: int
    answered: int
    responses: int
    response_rate: Decimal | None = Field(..., description="Per cent of invitations answered.")
    withheld: bool = Field(
        ..., description="Fewer answers than the threshold: no figures are given."
    )
    min_group: int = Field(..., description="The threshold (COMPETENCE_MIN_GROUP).")
    questions: list[QuestionOut]


def _team_agency(request: HttpRequest) -> Agency:
    """The site's agency, for a member of its team; 401 or 403 for anyone else."""
    if not request.user.is_authenticated:
        raise ApiError(401, "not_signed_in", _("Sign in as one of the agency's team first."))
    try:
        require_agency_staff(request)
    except PermissionDenied:
        raise ApiError(403, "not_team", _("Only the agency's team may read its surveys.")) from None
    return site_agency(request)


@router.get("/surveys", response={200: list[SurveyOut], **REFUSED}, url_name="competence_surveys")
@paginate(LimitOffset)
def surveys(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The agency's surveys (not the evaluation templates), newest first, with their counts."""
    agency = _team_agency(request)
    language = _language()
    found = (
        Survey.objects.of(agency)
        .filter(is_template=False)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
            responses_count=Count("responses", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    return [
        {
            "id": survey.pk,
            "title": pick(survey.title, language),
            "kind": survey.kind,
            "status": survey.status,
            "anonymous": survey.anonymous,
            "closes_on": survey.closes_on,
            "event": survey.event_id,
            "previous": survey.previous_id,
            "invited": survey.invited,  # type: ignore[attr-defined]
            "answered": survey.answered,  # type: ignore[attr-defined]
            "responses": survey.responses_count,  # type: ignore[attr-defined]
            "url": reverse("competence:results", args=[survey.pk]),
        }
        for survey in found
    ]


@router.get(
    "/surveys/{survey_id}/results",
    response={200: ResultsOut, **REFUSED},
    url_name="competence_results",
)
def survey_results(request: HttpRequest, survey_id: int):  # type: ignore[no-untyped-def]
    """A survey's results over all who answered: counts per option and per level of each
    competence area, and averages. No figures under the threshold; never a single answer."""
    agency = _team_agency(request)
    survey = (
        Survey.objects.of(agency)
        .filter(is_template=False, pk=survey_id)
        .select_related("previous")
        .first()
        if 0 < survey_id < 2**63
        else None
    )
    if survey is None:
        raise Http404
    language = _language()
    found = selectors.results(survey, language)
    threshold = selectors.min_group()
    withheld = found.responses < threshold
    previous = survey.previous
    # The previous wave's averages only where that wave, too, has enough answers.
    if (
        not withheld
        and previous is not None
        and selectors.results(previous, language).responses >= threshold
    ):
        selectors.compare_with_previous(survey, found, language)
    return {
        "survey": survey.pk,
        "invited": found.invited,
        "answered": found.answered_invitations,
        "responses": found.responses,
        "response_rate": found.rate,
        "withheld": withheld,
        "min_group": threshold,
        "questions": [] if withheld else [_question(item) for item in found.questions],
    }


def _language() -> str:
    return (get_language() or "nb")[:2]


def _bars(bars: list[Bar]) -> list[dict[str, object]]:
    return [{"label": b.label, "count": b.count, "percent": b.percent} for b in bars]


def _question(item: QuestionResult) -> dict[str, object]:
    return {
        "id": item.question_id,
        "kind": item.kind,
        "text": item.label,
        "audience": item.audience,
        "answered": item.answered,
        "average": item.average,
        "options": _bars(item.bars),
        "areas": [
            {
                "area": row.area_id,
                "label": row.label,
                "answered": row.answered,
                "average": row.average,
                "need_training": row.need,
                "levels": _bars(row.bars),
            }
            for row in item.areas
        ],
        "previous_average": item.previous,
    }
