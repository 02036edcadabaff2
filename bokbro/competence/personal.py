"""What the competence module holds about a person: their invitations (the e-mail address, name,
library) and, in a named survey, their answers. An anonymous answer holds nothing personal and
is neither exported nor erased with the account: nothing ties it to the person."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bokbro.accounts.personal import PersonalData
from bokbro.competence.models import Answer, Invitation, pick
from bokbro.competence.services import survey_version_bump


def person_export(emails: list[str]) -> list[dict[str, Any]]:
    found = []
    invitations = Invitation.objects.filter(email__in=[e.lower() for e in emails]).select_related(
        "survey", "library", "response"
    )
    for invitation in invitations:
        item: dict[str, Any] = {
            "survey": pick(invitation.survey.title),
            "email": invitation.email,
            "name": invitation.name,
            "library": invitation.library.name if invitation.library else "",
            "answered": invitation.answered,
        }
        response = getattr(invitation, "response", None)
        if response is not None:
            item["answers"] = [
                {
                    "question": pick(answer.question.text),
                    "area": pick(answer.area.name) if answer.area else "",
                    "number": answer.number,
                    "text": answer.text,
                    "need_training": answer.flag,
                }
                for answer in Answer.objects.filter(response=response).select_related(
                    "question", "area"
                )
            ]
        found.append(item)
    return found


@transaction.atomic
def person_erase(emails: list[str]) -> int:
    """Named answers go with the invitation; anonymous ones hold nothing of the person."""
    invitations = Invitation.objects.filter(email__in=[e.lower() for e in emails])
    surveys = set()
    for invitation in invitations.select_related("response"):
        surveys.add(invitation.survey_id)
        response = getattr(invitation, "response", None)
        if response is not None:
            response.delete()
    count, _detail = invitations.delete()
    # The results and exports kept per version must not show them any more.
    survey_version_bump(survey_ids=surveys)
    return count


DATA = PersonalData(key="competence_surveys", export=person_export, erase=person_erase)
