"""Personal data: invitations and named answers are in the person's export and leave with the
account; an anonymous answer holds nothing of the person and stays in the results."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from bokbro.competence import personal, services
from bokbro.competence.models import Invitation, Response
from bokbro.competence.tests.factories import answer_post, make_survey


def answer_both(world: Any, client: Any) -> tuple[Any, Any]:
    named = make_survey(world, anonymous=False)
    anonymous = make_survey(world)
    for survey in (named, anonymous):
        services.invitations_create(
            actor=world.consultant,
            agency=world.agency,
            survey=survey,
            people=services.directory_people(agency=world.agency),
        )
        invitation = survey.invitations.get(email=world.staff_person.email)
        client.post(reverse("competence:answer", args=[invitation.token]), answer_post(survey))
    return named, anonymous


def test_the_export_holds_invitations_and_named_answers(world: Any, client: Any) -> None:
    answer_both(world, client)
    exported = personal.DATA.export([world.staff_person.email])
    assert len(exported) == 2
    named = next(item for item in exported if "answers" in item)
    assert {"Mer om språk"} <= {a["text"] for a in named["answers"]}
    assert sum(1 for item in exported if "answers" in item) == 1


def test_erasure_removes_invitations_and_named_answers_only(world: Any, client: Any) -> None:
    named, anonymous = answer_both(world, client)
    personal.DATA.erase([world.staff_person.email])
    assert not Invitation.objects.filter(email=world.staff_person.email).exists()
    assert not Response.objects.filter(survey=named).exists()
    assert Response.objects.filter(survey=anonymous).count() == 1
