"""Every write of the competence module: building a survey, opening and closing it, copying it as
a new wave, inviting respondents, keeping drafts and sending answers, the framework and plans.

One response per personal link is held by the database: the invitation's `answered` flag is
claimed by a conditional UPDATE inside the transaction that writes the answer, so two tabs (or
two clicks) sending the same link write one answer. An anonymous answer is written with no link
to its invitation and with a date only (see models.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bokbro.competence.models import (
    Answer,
    CompetenceArea,
    Draft,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyKind,
    SurveyStatus,
)
from bokbro.competence.tasks import send_invitation
from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, LibraryRole, LibraryRoleKind
from bokbro.networks.models import Membership


class SurveyError(ValidationError):
    pass


def survey_version_bump(*, survey_ids: Iterable[int]) -> None:
    """A new version for each survey. Its results, pages and exports are kept per version
    (selectors/results.py, views/results.py), so every write that changes what they show calls
    this: an answer sent or erased, invitations made, an edit of the survey, its sections or
    questions, opening and closing, and an edit of a competence area it asks about."""
    Survey.objects.filter(pk__in=survey_ids).update(version=F("version") + 1)


def _own(agency: Agency, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "agency_id", agency.pk) != agency.pk:
            raise SurveyError(_("That belongs to another agency."))


# --- Building ---------------------------------------------------------------------------------


@transaction.atomic
def survey_save(*, actor: Actor | None, agency: Agency, survey: Survey) -> Survey:
    created = survey.pk is None
    survey.agency = agency
    if not created:
        # Counted in the database: the form's copy may be older than an answer sent since.
        survey.version = F("version") + 1  # type: ignore[assignment]
    survey.save()
    if not created:
        survey.refresh_from_db(fields=["version"])
    audit_log(
        action="competence.survey.created" if created else "competence.survey.updated",
        actor=actor,
        agency=agency,
        target=survey,
    )
    return survey


@transaction.atomic
def section_save(*, actor: Actor, agency: Agency, section: Section) -> Section:
    _own(agency, section.survey)
    _editable(section.survey)
    if section.pk is None:
        section.order = section.survey.sections.count() + 1
    section.save()
    survey_version_bump(survey_ids=[section.survey_id])
    audit_log(action="competence.survey.updated", actor=actor, agency=agency, target=section.survey)
    return section


def _editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise SurveyError(_("The survey has answers: its questions can no longer change."))


@transaction.atomic
def question_save(
    *,
    actor: Actor | None,
    agency: Agency,
    question: Question,
    areas: Iterable[CompetenceArea] | None = None,
) -> Question:
    survey = question.survey
    _own(agency, survey)
    _editable(survey)
    if question.section is not None and question.section.survey_id != survey.pk:
        raise SurveyError(_("The section is not part of this survey."))
    condition = question.show_if_question
    if condition is not None:
        if condition.survey_id != survey.pk or condition.kind not in (
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.LIKERT,
        ):
            raise SurveyError(_("A condition must be a choice or scale question of this survey."))
        if question.pk is not None and (
            condition.pk == question.pk or _position(condition) >= _position(question)
        ):
            raise SurveyError(_("A condition can only be on an earlier question."))
        if not question.show_if_value or question.show_if_value > len(condition.options):
            raise SurveyError(_("Choose which option of the earlier question shows this one."))
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(question.options) < 2:
        raise SurveyError(_("A choice question needs at least two options."))
    if question.kind == QuestionKind.LIKERT and not 2 <= len(question.options) <= 11:
        raise SurveyError(_("A scale needs between 2 and 11 points, one label for each."))
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        raise SurveyError(_("The lowest number is higher than the highest."))
    if question.pk is None:
        question.order = (survey.questions.count() + 1) * 10
    question.save()
    if areas is not None:
        area_list = list(areas)
        _own(agency, *area_list)
        question.areas.set(area_list)
    if question.kind == QuestionKind.MATRIX and not question.areas.exists():
        raise SurveyError(_("A competence matrix needs at least one competence area."))
    survey_version_bump(survey_ids=[survey.pk])
    audit_log(action="competence.survey.updated", actor=actor, agency=agency, target=survey)
    return question


def _position(question: Question) -> tuple[int, int, int]:
    section_order = question.section.order if question.section else 0
    return (section_order, question.order, question.pk or 0)


@transaction.atomic
def question_delete(*, actor: Actor, agency: Agency, question: Question) -> None:
    _own(agency, question.survey)
    _editable(question.survey)
    question.delete()
    survey_version_bump(survey_ids=[question.survey_id])
    audit_log(
        action="competence.survey.updated", actor=actor, agency=agency, target=question.survey
    )


@transaction.atomic
def survey_open(*, actor: Actor, agency: Agency, survey: Survey) -> Survey:
    _own(agency, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.questions.exists():
        raise SurveyError(_("A survey with no questions cannot open. Add a question first."))
    if survey.closes_on is not None and survey.closes_on < timezone.localdate():
        raise SurveyError(_("The closing date has passed. Choose a later date first."))
    survey.status = SurveyStatus.OPEN
    survey.save(update_fields=["status"])
    survey_version_bump(survey_ids=[survey.pk])
    if survey.invitations.exists():
        invitations_send(actor=actor, agency=agency, survey=survey)
    audit_log(action="competence.survey.opened", actor=actor, agency=agency, target=survey)
    return survey


@transaction.atomic
def survey_close(*, actor: Actor | None, agency: Agency, survey: Survey) -> Survey:
    _own(agency, survey)
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED, version=F("version") + 1)
    survey.status = SurveyStatus.CLOSED
    Draft.objects.filter(survey=survey, invitation__isnull=True).delete()
    audit_log(action="competence.survey.closed", actor=actor, agency=agency, target=survey)
    return survey


@transaction.atomic
def survey_copy(
    *, actor: Actor | None, agency: Agency, survey: Survey, event: Any = None
) -> Survey:
    """A new draft with the same sections and questions: the next wave (or, from a template, an
    event's evaluation). Each question remembers the one it repeats, so waves compare."""
    _own(agency, survey)
    copy = Survey.objects.create(
        agency=agency,
        kind=SurveyKind.EVALUATION if event is not None else survey.kind,
        title=survey.title,
        intro=survey.intro,
        languages=survey.languages,
        anonymous=survey.anonymous,
        open_link=survey.open_link,
        previous=None if event is not None else survey,
        event=event,
    )
    sections = {}
    for section in survey.sections.all():
        sections[section.pk] = Section.objects.create(
            survey=copy, title=section.title, order=section.order
        )
    questions: dict[int, Question] = {}
    for question in survey.questions.prefetch_related("areas").order_by("order", "pk"):
        new = Question.objects.create(
            survey=copy,
            section=sections.get(question.section_id) if question.section_id else None,
            order=question.order,
            kind=question.kind,
            text=question.text,
            help=question.help,
            required=question.required,
            options=question.options,
            minimum=question.minimum,
            maximum=question.maximum,
            audience=question.audience,
            show_if_question=(
                questions.get(question.show_if_question_id)
                if question.show_if_question_id
                else None
            ),
            show_if_value=question.show_if_value,
            copied_from=question,
        )
        new.areas.set(question.areas.all())
        questions[question.pk] = new
    audit_log(
        action="competence.survey.copied",
        actor=actor,
        agency=agency,
        target=copy,
        data={"from": survey.pk},
    )
    return copy


# --- Distribution -----------------------------------------------------------------------------


def directory_people(
    *,
    agency: Agency,
    roles: Iterable[str] = (),
    library_ids: Iterable[int] = (),
    municipality_ids: Iterable[int] = (),
    network_ids: Iterable[int] = (),
) -> list[LibraryRole]:
    """The library roles of the agency's region matching the choice (an empty choice: all);
    with networks, only their members (networks/models.py `Membership`, status member)."""
    found = LibraryRole.objects.filter(
        library__municipality__county__in=agency.counties.all(), person__email__gt=""
    ).select_related("person", "library")
    if roles:
        found = found.filter(role__in=list(roles))
    if library_ids:
        found = found.filter(library_id__in=list(library_ids))
    if municipality_ids:
        found = found.filter(library__municipality_id__in=list(municipality_ids))
    if network_ids:
        members = Membership.objects.active().filter(
            network_id__in=list(network_ids), network__agency=agency
        )
        found = found.filter(person_id__in=members.values("person_id"))
    return list(found.order_by("person__name", "pk"))


@transaction.atomic
def invitations_create(
    *, actor: Actor | None, agency: Agency, survey: Survey, people: Iterable[LibraryRole]
) -> int:
    """Invite each person once (a second role in another library adds nobody); mail the links
    when the survey is open. Returns how many were invited now."""
    _own(agency, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.CLOSED:
        raise SurveyError(_("The survey is closed."))
    known = set(survey.invitations.values_list("email", flat=True))
    created = []
    for role in people:
        email = role.person.email.lower()
        if email in known:
            continue
        known.add(email)
        created.append(
            Invitation(
                survey=survey,
                person=role.person,
                email=email,
                name=role.person.name,
                library=role.library,
                municipality_id=role.library.municipality_id,
                role="manager" if role.role == LibraryRoleKind.MANAGER else "staff",
                language=agency.language,
            )
        )
    Invitation.objects.bulk_create(created)
    survey_version_bump(survey_ids=[survey.pk])  # the results count the invited
    if survey.status == SurveyStatus.OPEN:
        for invitation in Invitation.objects.filter(
            survey=survey, email__in=[i.email for i in created]
        ):
            enqueue_on_commit(send_invitation, invitation_id=invitation.pk)
    audit_log(
        action="competence.invitations.created",
        actor=actor,
        agency=agency,
        target=survey,
        data={"count": len(created)},
    )
    return len(created)


@transaction.atomic
def invitations_send(*, actor: Actor, agency: Agency, survey: Survey) -> int:
    """Mail the links of everyone not yet answered (after opening)."""
    _own(agency, survey)
    if not survey.is_open:
        raise SurveyError(_("Open the survey before sending the links."))
    ids = list(survey.invitations.filter(answered=False).values_list("pk", flat=True))
    Survey.objects.filter(pk=survey.pk).update(sent_on=timezone.localdate())
    for pk in ids:
        enqueue_on_commit(send_invitation, invitation_id=pk)
    audit_log(
        action="competence.invitations.sent",
        actor=actor,
        agency=agency,
        target=survey,
        data={"count": len(ids)},
    )
    return len(ids)


@transaction.atomic
def reminders_send(*, survey: Survey) -> int:
    """The one reminder to those who have not answered; claimed by a conditional UPDATE."""
    today = timezone.localdate()
    if not Survey.objects.filter(pk=survey.pk, reminded_on__isnull=True).update(reminded_on=today):
        return 0
    pending = survey.invitations.filter(answered=False, reminded=False)
    ids = list(pending.values_list("pk", flat=True))
    pending.update(reminded=True)
    for pk in ids:
        enqueue_on_commit(send_invitation, invitation_id=pk, reminder=True)
    audit_log(
        action="competence.reminders.sent",
        agency=survey.agency,
        target=survey,
        data={"count": len(ids)},
    )
    return len(ids)


# --- Answering --------------------------------------------------------------------------------


def draft_for_invitation(invitation: Invitation) -> Draft:
    draft, _created = Draft.objects.get_or_create(
        invitation=invitation,
        defaults={
            "survey": invitation.survey,
            "language": invitation.language,
            "role": invitation.role,
            "library": invitation.library,
        },
    )
    return draft


def draft_save(*, draft: Draft, data: dict[str, Any], language: str | None = None) -> Draft:
    """Keep what the respondent has filled in so far (valid or not)."""
    draft.data = {**draft.data, **data}
    if language:
        draft.language = language
    draft.updated_at = timezone.now()
    draft.save(update_fields=["data", "language", "updated_at", "role"])
    return draft


@transaction.atomic
def response_submit(
    *, draft: Draft, values: list[tuple[Question, Any]], role: str = ""
) -> Response:
    """Write the answer from the cleaned values and delete the draft. Refuses a closed survey
    and a link already answered (the draft stays for the first; nothing changes for either)."""
    survey = Survey.objects.select_for_update().get(pk=draft.survey_id)
    if not survey.is_open:
        raise SurveyError(_("The survey is closed. Your answers were not sent."))
    invitation = draft.invitation
    if invitation is not None:
        claimed = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True)
        if not claimed:
            raise SurveyError(_("This link has already been used to answer."))
    response = Response.objects.create(
        survey=survey,
        invitation=None if survey.anonymous else invitation,
        anonymous=survey.anonymous,
        library=invitation.library if invitation else draft.library,
        municipality=(
            invitation.municipality
            if invitation
            else (draft.library.municipality if draft.library else None)
        ),
        role=(invitation.role if invitation else role) or "",
        language=draft.language,
        submitted_on=timezone.localdate(),
    )
    rows: list[Answer] = []
    for question, value in values:
        rows.extend(_answers(response, question, value))
    Answer.objects.bulk_create(rows)
    survey_version_bump(survey_ids=[survey.pk])
    draft.delete()
    if not survey.anonymous:
        audit_log(action="competence.response.sent", agency=survey.agency, target=survey)
    return response


def _answers(response: Response, question: Question, value: Any) -> list[Answer]:
    if value in (None, "", [], {}):
        return []
    if question.kind == QuestionKind.MULTIPLE:
        return [Answer(response=response, question=question, number=int(v)) for v in value]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.LIKERT, QuestionKind.NUMBER):
        return [Answer(response=response, question=question, number=int(value))]
    if question.kind == QuestionKind.MATRIX:
        return [
            Answer(
                response=response,
                question=question,
                area_id=area_id,
                number=level,
                flag=need,
            )
            for area_id, (level, need) in value.items()
            if level is not None or need
        ]
    return [Answer(response=response, question=question, text=str(value))]
