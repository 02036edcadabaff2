"""Answering a survey: a personal link (one answer per link, resumable), an open link, and a
draft of an open link. What was filled in is kept as a draft on every save (htmx saves it as the
respondent goes), and kept too when sending fails; the page and the questions speak the language
the respondent chooses among the survey's."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from bokbro.competence import selectors, services
from bokbro.competence.forms import AnswerForm
from bokbro.competence.models import (
    Draft,
    Invitation,
    Survey,
    SurveyStatus,
    answer_texts_languages,
    pick,
)
from bokbro.core.types import AgencyRequest


def _as_multi(data: dict[str, Any]) -> MultiValueDict:
    multi: MultiValueDict = MultiValueDict()
    for key, value in data.items():
        if isinstance(value, list):
            multi.setlist(key, [str(v) for v in value])
        elif value is True:
            multi[key] = "on"
        elif value not in (None, False, ""):
            multi[key] = str(value)
    return multi


def _language(request: AgencyRequest, survey: Survey, fallback: str) -> str:
    languages = answer_texts_languages(survey)
    chosen = request.GET.get("lang") or request.POST.get("lang") or fallback
    language = chosen if chosen in languages else languages[0]
    request.LANGUAGE_CODE = language  # the page's lang attribute and its texts
    return language


def _closed(request: AgencyRequest, survey: Survey, message: str) -> HttpResponse:
    return render(
        request,
        "competence/answer_closed.html",
        {"survey": survey, "message": message, "title": pick(survey.title)},
    )


def answer(request: AgencyRequest, token: str) -> HttpResponse:
    """A personal link from an invitation."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("survey", "library"), token=token
    )
    survey = invitation.survey
    if survey.agency_id != getattr(request.agency, "pk", None):
        raise Http404
    language = _language(request, survey, invitation.language)
    with translation.override(language):
        if invitation.answered:
            return _closed(request, survey, _("This link has already been used to answer."))
        if not survey.is_open:
            return _closed(request, survey, _("The survey is closed."))
        draft = services.draft_for_invitation(invitation)
        return _answer_page(request, survey, draft, language, ask_role=False)


def open_answer(request: AgencyRequest, token: str) -> HttpResponse:
    """The open link: anyone may answer; the first save starts a draft with its own link."""
    survey = get_object_or_404(Survey, open_token=token, open_link=True)
    if survey.agency_id != getattr(request.agency, "pk", None):
        raise Http404
    language = _language(request, survey, survey.languages[0] if survey.languages else "nb")
    with translation.override(language):
        if not survey.is_open:
            return _closed(request, survey, _("The survey is closed."))
        draft = Draft(survey=survey, language=language)
        return _answer_page(request, survey, draft, language, ask_role=True)


def draft_answer(request: AgencyRequest, token: str) -> HttpResponse:
    """Going on with an open link's answer saved earlier."""
    draft = get_object_or_404(
        Draft.objects.select_related("survey"), token=token, invitation__isnull=True
    )
    survey = draft.survey
    if survey.agency_id != getattr(request.agency, "pk", None):
        raise Http404
    language = _language(request, survey, draft.language)
    with translation.override(language):
        if not survey.is_open:
            return _closed(request, survey, _("The survey is closed."))
        return _answer_page(request, survey, draft, language, ask_role=True)


def thanks(request: AgencyRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey, pk=pk, agency_id=getattr(request.agency, "pk", None))
    language = _language(request, survey, translation.get_language() or "nb")
    with translation.override(language):
        return render(
            request,
            "competence/answer_thanks.html",
            {"survey": survey, "title": pick(survey.title)},
        )


def _answer_page(
    request: AgencyRequest, survey: Survey, draft: Draft, language: str, *, ask_role: bool
) -> HttpResponse:
    role = draft.role or request.POST.get("role", "")
    questions = selectors.questions_for(survey, role=role)
    sending = request.method == "POST" and request.POST.get("action") == "send"
    saved = False
    if request.method == "POST":
        posted = AnswerForm(
            request.POST, questions=questions, language=language, ask_role=ask_role
        ).raw()
        if ask_role and posted.get("role"):
            draft.role = str(posted["role"])
        new_draft = draft.pk is None
        if new_draft:
            draft.save()
        draft.data = {}
        services.draft_save(draft=draft, data=posted, language=language)
        if request.htmx:
            return HttpResponse(status=204)
        form = AnswerForm(
            _as_multi(posted),
            questions=questions,
            language=language,
            ask_role=ask_role,
            sending=sending,
        )
        valid = form.is_valid()
        if sending and valid:
            try:
                services.response_submit(
                    draft=draft, values=form.values(), role=form.cleaned_data.get("role", "")
                )
            except services.SurveyError as error:
                return _closed(request, survey, error.messages[0])
            return redirect(f"{_thanks_url(survey)}?lang={language}")
        saved = not sending
        if saved and draft.invitation_id is None and new_draft and valid:
            return redirect(f"{_draft_url(draft)}?lang={language}&saved=1")
    else:
        form = AnswerForm(
            _as_multi(draft.data) if draft.data else None,
            questions=questions,
            language=language,
            ask_role=ask_role,
        )
        if draft.data:
            form.is_valid()
        saved = request.GET.get("saved") == "1"
    return render(
        request,
        "competence/answer.html",
        {
            "survey": survey,
            "title": pick(survey.title, language),
            "intro": pick(survey.intro, language),
            "form": form,
            "blocks": selectors.answer_blocks(form, questions, language),
            "language": language,
            "languages": answer_texts_languages(survey),
            "saved": saved,
            "sending": sending,
            "draft": draft,
            "is_open_draft": draft.invitation_id is None and draft.pk is not None,
            "status_open": survey.status == SurveyStatus.OPEN,
        },
        status=200,
    )


def _thanks_url(survey: Survey) -> str:
    from django.urls import reverse

    return reverse("competence:thanks", args=[survey.pk])


def _draft_url(draft: Draft) -> str:
    from django.urls import reverse

    return reverse("competence:draft", args=[draft.token])
