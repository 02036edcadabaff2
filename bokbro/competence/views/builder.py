"""The staff pages that build and send a survey: the overview, the survey form, sections and
questions, opening, closing, copying as a new wave, and inviting respondents from the directory."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bokbro.competence import selectors, services
from bokbro.competence.access import staff_object
from bokbro.competence.forms import InviteForm, QuestionForm, SectionForm, SurveyForm
from bokbro.competence.models import (
    CompetenceArea,
    Plan,
    Question,
    Section,
    Survey,
)
from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required


@staff_required
def overview(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    surveys = (
        Survey.objects.of(agency)
        .filter(event__isnull=True)
        .annotate(
            answers=Count("responses", distinct=True),
            invited=Count("invitations", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    evaluations = (
        Survey.objects.of(agency)
        .filter(event__isnull=False)
        .select_related("event")
        .annotate(answers=Count("responses", distinct=True))
        .order_by("-event__starts_at")[:20]
    )
    return render(
        request,
        "competence/staff/overview.html",
        {
            "surveys": surveys,
            "evaluations": evaluations,
            "areas": CompetenceArea.objects.filter(agency=agency),
            "plans": Plan.objects.filter(agency=agency),
        },
    )


def _survey_form_page(request: StaffRequest, survey: Survey | None) -> HttpResponse:
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        saved = services.survey_save(actor=request.user, agency=request.agency, survey=form.save())
        messages.success(request, _("Saved."))
        return redirect("competence:survey", saved.pk)
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("Edit survey") if survey else _("New survey"),
            "survey": survey,
            "back": reverse("competence:survey", args=[survey.pk])
            if survey
            else reverse("competence:staff"),
        },
    )


@staff_required
def survey_create(request: StaffRequest) -> HttpResponse:
    return _survey_form_page(request, None)


@staff_required
def survey_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _survey_form_page(request, staff_object(request, Survey.objects.all(), pk))


@staff_required
def survey_detail(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.select_related("event", "previous"), pk)
    counts = survey.invitations.aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(answered=True)),
    )
    return render(
        request,
        "competence/staff/survey.html",
        {
            "survey": survey,
            "questions": selectors.questions_for(survey, role="manager"),
            "sections": survey.sections.all(),
            "counts": counts,
            "responses": survey.responses.count(),
            "open_url": request.build_absolute_uri(
                reverse("competence:open", args=[survey.open_token])
            ),
        },
    )


@staff_required
def section_create(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    form = SectionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                actor=request.user,
                agency=request.agency,
                section=Section(survey=survey, title=form.texts()),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("competence:survey", survey.pk)
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("New section"),
            "survey": survey,
            "back": reverse("competence:survey", args=[survey.pk]),
        },
    )


def _question_page(
    request: StaffRequest, survey: Survey, question: Question | None
) -> HttpResponse:
    form = QuestionForm(request.POST or None, survey=survey, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                actor=request.user,
                agency=request.agency,
                question=form.build(),
                areas=form.cleaned_data["areas"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("competence:survey", survey.pk)
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("Edit question") if question else _("New question"),
            "survey": survey,
            "back": reverse("competence:survey", args=[survey.pk]),
        },
    )


@staff_required
def question_create(request: StaffRequest, pk: int) -> HttpResponse:
    return _question_page(request, staff_object(request, Survey.objects.all(), pk), None)


@staff_required
def question_edit(request: StaffRequest, pk: int) -> HttpResponse:
    question = staff_object(request, Question.objects.select_related("survey"), pk)
    return _question_page(request, question.survey, question)


@staff_required
@require_POST
def question_delete(request: StaffRequest, pk: int) -> HttpResponse:
    question = staff_object(request, Question.objects.select_related("survey"), pk)
    try:
        services.question_delete(actor=request.user, agency=request.agency, question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The question was deleted."))
    return redirect("competence:survey", question.survey_id)


@staff_required
@require_POST
def survey_open(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    try:
        services.survey_open(actor=request.user, agency=request.agency, survey=survey)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The survey is open."))
    return redirect("competence:survey", survey.pk)


@staff_required
@require_POST
def survey_close(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    services.survey_close(actor=request.user, agency=request.agency, survey=survey)
    messages.success(request, _("The survey is closed."))
    return redirect("competence:survey", survey.pk)


@staff_required
@require_POST
def survey_copy(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    copy = services.survey_copy(actor=request.user, agency=request.agency, survey=survey)
    messages.success(request, _("A new wave was made as a draft: change it and open it."))
    return redirect("competence:survey", copy.pk)


@staff_required
def invite(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    form = InviteForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        people = services.directory_people(
            agency=request.agency,
            roles=form.cleaned_data["roles"],
            library_ids=[library.pk for library in form.cleaned_data["libraries"]],
            municipality_ids=[m.pk for m in form.cleaned_data["municipalities"]],
            network_ids=[network.pk for network in form.cleaned_data["networks"]],
        )
        try:
            count = services.invitations_create(
                actor=request.user, agency=request.agency, survey=survey, people=people
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s person was invited.", "%(count)s people were invited.", count)
                % {"count": count},
            )
            return redirect("competence:survey", survey.pk)
    return render(
        request,
        "competence/staff/form_page.html",
        {
            "form": form,
            "page_title": _("Invite respondents"),
            "survey": survey,
            "back": reverse("competence:survey", args=[survey.pk]),
            "submit": _("Invite"),
        },
    )


@staff_required
@require_POST
def send_links(request: StaffRequest, pk: int) -> HttpResponse:
    survey = staff_object(request, Survey.objects.all(), pk)
    try:
        count = services.invitations_send(actor=request.user, agency=request.agency, survey=survey)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "The link is on its way to %(count)s person.",
                "The links are on their way to %(count)s people.",
                count,
            )
            % {"count": count},
        )
    return redirect("competence:survey", survey.pk)
