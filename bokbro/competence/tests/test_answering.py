"""Answering a survey through its links: one answer per personal link, drafts kept as the
respondent goes and when sending fails, conditions, closed surveys, the open link, and the
anonymity of what is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from bokbro.competence import services
from bokbro.competence.models import (
    Answer,
    Draft,
    Invitation,
    Response,
    Survey,
    SurveyStatus,
)
from bokbro.competence.tests.factories import answer_post, make_survey
from bokbro.directory.models import LibraryRole


def invite_everyone(world: Any, survey: Survey) -> list[Invitation]:
    people = services.directory_people(agency=world.agency)
    services.invitations_create(
        actor=world.consultant, agency=world.agency, survey=survey, people=people
    )
    return list(survey.invitations.order_by("pk"))


def staff_invitation(world: Any, survey: Survey) -> Invitation:
    invite_everyone(world, survey)
    return survey.invitations.get(email=world.staff_person.email)


def test_a_survey_with_no_questions_cannot_open(world: Any, client_for: Any) -> None:
    survey = Survey.objects.create(agency=world.agency, title={"nb": "Tom"}, languages=["nb"])
    client = client_for(world.consultant, language="en")
    response = client.post(reverse("competence:survey_open", args=[survey.pk]), follow=True)
    assert "A survey with no questions cannot open" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_invitations_reach_library_people_of_the_region_once(
    world: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    survey = make_survey(world)
    LibraryRole.objects.create(person=world.staff_person, library=world.other_library, role="staff")
    with django_capture_on_commit_callbacks(execute=True):
        invitations = invite_everyone(world, survey)
    emails = sorted(i.email for i in invitations)
    assert emails == sorted(
        {"ola@fredrikstad.example", "aisha@fredrikstad.example", "marte@sarpsborg.example"}
    )
    assert len(mailoutbox) == 3
    assert reverse("competence:answer", args=[invitations[0].token]) in mailoutbox[0].body
    assert invite_everyone(world, survey) and survey.invitations.count() == 3


def test_invitations_by_role_and_library(world: Any) -> None:
    survey = make_survey(world)
    managers = services.directory_people(agency=world.agency, roles=["manager"])
    assert {r.person.name for r in managers} == {"Ola Sjef", "Marte Sjef"}
    one_library = services.directory_people(agency=world.agency, library_ids=[world.library.pk])
    assert {r.person.name for r in one_library} == {"Ola Sjef", "Aisha Bibliotekar"}
    assert survey


def test_a_personal_link_answers_once(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    response = client.post(url, answer_post(survey))
    assert response.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1
    again = client.post(url, answer_post(survey, lang="en"))
    assert "already been used" in again.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert client.get(url).status_code == 200


def test_a_draft_is_kept_and_resumed(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    client.post(url, {f"q{survey.q_long.pk}": "Halvferdig tanke", "action": "save"})
    page = client.get(url).content.decode()
    assert "Halvferdig tanke" in page
    assert Response.objects.count() == 0


def test_htmx_saves_the_draft_as_the_respondent_goes(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    client.get(url)
    response = client.post(
        url,
        {f"q{survey.q_likert.pk}": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 204
    assert Draft.objects.get(invitation=invitation).data[f"q{survey.q_likert.pk}"] == "3"


def test_bad_answers_are_refused_with_messages_and_kept(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    bad = answer_post(
        survey,
        **{
            f"q{survey.q_likert.pk}": "9",
            f"q{survey.q_number.pk}": "200",
            f"q{survey.q_single.pk}": None,
            f"q{survey.q_long.pk}": "Dette skal ikke forsvinne",
        },
    )
    response = client.post(url, bad | {"lang": "en"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in page
    assert "less than or equal to 60" in page
    assert "This field is required" in page
    assert "Your answers are kept as a draft" in page
    assert Response.objects.count() == 0
    assert "Dette skal ikke forsvinne" in client.get(url).content.decode()


def test_a_question_shown_only_on_an_earlier_answer(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    # "No" to working with children: the follow-up (required when shown) is not asked.
    post = answer_post(
        survey,
        **{f"q{survey.q_single.pk}": "1", f"q{survey.q_children.pk}": "ignored"},
    )
    assert client.post(url, post).status_code == 302
    assert not Answer.objects.filter(question=survey.q_children).exists()


def test_the_required_follow_up_is_asked_when_shown(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    post = answer_post(survey, **{f"q{survey.q_children.pk}": None}, lang="en")
    assert "This field is required" in client.post(url, post).content.decode()


def test_a_closed_survey_takes_no_answer_and_says_so(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    services.survey_close(actor=world.consultant, agency=world.agency, survey=survey)
    url = reverse("competence:answer", args=[invitation.token])
    response = client.post(url, answer_post(survey, lang="en"))
    assert "The survey is closed" in response.content.decode()
    assert Response.objects.count() == 0


def test_managers_get_the_managers_part(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invite_everyone(world, survey)
    manager = survey.invitations.get(email=world.manager_person.email)
    staff = survey.invitations.get(email=world.staff_person.email)
    needed = f"q{survey.q_needed.pk}_a"
    assert needed in client.get(reverse("competence:answer", args=[manager.token])).content.decode()
    assert (
        needed not in client.get(reverse("competence:answer", args=[staff.token])).content.decode()
    )


def test_the_open_link_answers_and_resumes(world: Any, client: Any) -> None:
    survey = make_survey(world, open_link=True)
    url = reverse("competence:open", args=[survey.open_token])
    saved = client.post(url, {"role": "staff", f"q{survey.q_long.pk}": "Utkast", "action": "save"})
    assert saved.status_code == 302 and "/draft/" in saved["Location"]
    draft_url = saved["Location"].split("?")[0]
    assert "Utkast" in client.get(draft_url).content.decode()
    sent = client.post(draft_url, answer_post(survey, role="staff"))
    assert sent.status_code == 302
    assert Response.objects.get().role == "staff"
    assert not Draft.objects.exists()


def test_an_answer_page_in_each_language(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    assert 'lang="sv"' in client.get(url + "?lang=sv").content.decode()
    assert "Competence mapping 2026" in client.get(url + "?lang=en").content.decode()


def test_another_agencys_link_is_not_found(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    url = reverse("competence:answer", args=[invitation.token])
    assert client.get(url, HTTP_HOST="jonkoping.testserver").status_code == 404


# --- Anonymity ----------------------------------------------------------------------------------


def test_an_anonymous_answer_has_no_path_to_the_person(world: Any, client: Any) -> None:
    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    client.post(reverse("competence:answer", args=[invitation.token]), answer_post(survey))
    stored = Response.objects.get()
    assert stored.invitation_id is None
    invitation.refresh_from_db()
    assert invitation.answered is True
    assert not Draft.objects.exists()
    # No column of an answer or a response leads to an invitation, a draft or a person except
    # the named surveys' `invitation`, which is empty; dates only, no time of day.
    person_models = {"Invitation", "Draft", "Person", "User", "Registration"}
    for model in (Response, Answer):
        for field in model._meta.concrete_fields:
            if field.is_relation:
                assert getattr(field.related_model, "__name__", "") not in person_models or (
                    model is Response and field.name == "invitation"
                ), f"{model.__name__}.{field.name}"
            assert not isinstance(field, models.DateTimeField), f"{model.__name__}.{field.name}"
    # And the invitation keeps only a flag: no time, no answer id.
    invitation_fields = {f.name for f in Invitation._meta.concrete_fields}
    assert not any(isinstance(f, models.DateTimeField) for f in Invitation._meta.concrete_fields)
    assert "response" not in invitation_fields


def test_the_database_refuses_an_anonymous_answer_tied_to_an_invitation(world: Any) -> None:
    from django.db import IntegrityError, transaction

    survey = make_survey(world)
    invitation = staff_invitation(world, survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, anonymous=True, invitation=invitation)


def test_a_named_answer_is_tied_to_its_invitation(world: Any, client: Any) -> None:
    survey = make_survey(world, anonymous=False)
    invitation = staff_invitation(world, survey)
    client.post(reverse("competence:answer", args=[invitation.token]), answer_post(survey))
    assert Response.objects.get().invitation == invitation


def test_the_consultant_invites_the_members_of_a_network(
    world: Any, client_for: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Respondents chosen by network (issue 16): only its members, not those who asked to join."""
    from bokbro.networks.models import Membership, MembershipStatus
    from bokbro.networks.tests.conftest import make_network

    survey = make_survey(world)
    network = make_network(world)
    Membership.objects.create(
        network=network, person=world.staff_person, status=MembershipStatus.MEMBER
    )
    Membership.objects.create(
        network=network, person=world.manager_person, status=MembershipStatus.REQUESTED
    )
    client = client_for(world.consultant, language="en")
    url = reverse("competence:invite", args=[survey.pk])
    assert "Barnenettverket" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"networks": [network.pk]})
    assert response.status_code == 302
    assert [i.email for i in survey.invitations.all()] == [world.staff_person.email]
