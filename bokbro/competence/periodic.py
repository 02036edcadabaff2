"""The competence module's periodic work (`bokbro periodic`), idempotent: surveys past their
closing date close; an event's built-in evaluation goes to those who attended once its last
session is over; the one reminder goes COMPETENCE_REMINDER_DAYS after the links."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from bokbro.competence import services
from bokbro.competence.models import Survey, SurveyStatus
from bokbro.events.models import Registration, RegistrationStatus


def run(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    closed = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, closes_on__lt=today):
        services.survey_close(actor=None, agency=survey.agency, survey=survey)
        closed += 1
    evaluations = 0
    pending = (
        Survey.objects.filter(status=SurveyStatus.OPEN, event__isnull=False, sent_on__isnull=True)
        .select_related("event", "agency")
        .annotate(last_session=Max("event__sessions__ends_at"))
    )
    for survey in pending:
        event = survey.event
        assert event is not None
        ended = survey.last_session or event.ends_at  # type: ignore[attr-defined]
        if ended > now:
            continue
        attended = (
            Registration.objects.filter(
                event=event,
                status=RegistrationStatus.CONFIRMED,
                attendances__present=True,
                anonymised=False,
            )
            .select_related("library")
            .distinct()
        )
        services.evaluation_invite_attendees(survey=survey, registrations=attended)
        evaluations += 1
    reminders = 0
    due = today - timedelta(days=settings.COMPETENCE_REMINDER_DAYS)
    for survey in Survey.objects.filter(
        status=SurveyStatus.OPEN, reminded_on__isnull=True, sent_on__lte=due
    ):
        reminders += services.reminders_send(survey=survey)
    return {"closed": closed, "evaluations sent": evaluations, "reminders": reminders}
