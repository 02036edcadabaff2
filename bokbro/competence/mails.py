"""The competence module's mails: a personal survey link, and its one reminder."""

from __future__ import annotations

from django.urls import reverse

from bokbro.competence.models import Invitation
from bokbro.core.emails import send_email


def invitation_email(*, invitation_id: int, reminder: bool = False) -> bool:
    invitation = (
        Invitation.objects.select_related("survey__agency", "survey__event")
        .filter(pk=invitation_id, answered=False)
        .first()
    )
    if invitation is None:
        return False
    survey = invitation.survey
    send_email(
        to=invitation.email,
        template="competence/invitation",
        context={
            "invitation": invitation,
            "survey": survey,
            "reminder": reminder,
            "path": reverse("competence:answer", args=[invitation.token]),
        },
        language=invitation.language,
        agency=survey.agency,
    )
    return True
