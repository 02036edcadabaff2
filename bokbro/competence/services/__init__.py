"""Every write of the competence module (surveys.py: building, sending and answering a survey;
framework.py: evaluations, the competence framework and plans)."""

from bokbro.competence.services.framework import (
    area_save,
    evaluation_attach,
    evaluation_invite_attendees,
    plan_area_save,
    plan_save,
)
from bokbro.competence.services.surveys import (
    SurveyError,
    directory_people,
    draft_for_invitation,
    draft_save,
    invitations_create,
    invitations_send,
    question_delete,
    question_save,
    reminders_send,
    response_submit,
    section_save,
    survey_close,
    survey_copy,
    survey_open,
    survey_save,
    survey_version_bump,
)

__all__ = [
    "SurveyError",
    "area_save",
    "directory_people",
    "draft_for_invitation",
    "draft_save",
    "evaluation_attach",
    "evaluation_invite_attendees",
    "invitations_create",
    "invitations_send",
    "plan_area_save",
    "plan_save",
    "question_delete",
    "question_save",
    "reminders_send",
    "response_submit",
    "section_save",
    "survey_close",
    "survey_copy",
    "survey_open",
    "survey_save",
    "survey_version_bump",
]
