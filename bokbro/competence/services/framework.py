"""Writes of course evaluations (an event's built-in evaluation, its invitations to those who
attended), the competence framework and competence development plans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bokbro.competence.models import (
    CompetenceArea,
    Invitation,
    Plan,
    PlanArea,
    Survey,
    SurveyStatus,
)
from bokbro.competence.services.surveys import SurveyError, _own, survey_copy, survey_version_bump
from bokbro.competence.tasks import send_invitation
from bokbro.core.audit import audit_log
from bokbro.core.tasks import enqueue_on_commit
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.plans.tagging import check_plan_goals

# --- Evaluations --------------------------------------------------------------------------------


@transaction.atomic
def evaluation_attach(*, actor: Actor, agency: Agency, event: Any, template: Survey) -> Survey:
    """Give the event its built-in evaluation, copied from one of the agency's templates."""
    _own(agency, template)
    if event.agency_id != agency.pk:
        raise SurveyError(_("That belongs to another agency."))
    if not template.is_template:
        raise SurveyError(_("Choose one of the agency's evaluation templates."))
    if Survey.objects.filter(event=event).exists():
        raise SurveyError(_("The event already has an evaluation."))
    survey = survey_copy(actor=actor, agency=agency, survey=template, event=event)
    survey.title = {lang: f"{text}: {event.title}" for lang, text in template.title.items()}
    survey.anonymous = True
    survey.status = SurveyStatus.OPEN
    survey.save()
    return survey


@transaction.atomic
def evaluation_invite_attendees(*, survey: Survey, registrations: Iterable[Any]) -> int:
    """Invite those who attended (each registration once) and mail their links."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    known = set(survey.invitations.values_list("email", flat=True))
    created = []
    for registration in registrations:
        email = registration.email.lower()
        if email in known:
            continue
        known.add(email)
        created.append(
            Invitation(
                survey=survey,
                email=email,
                name=registration.name,
                library_id=registration.library_id,
                municipality_id=(
                    registration.library.municipality_id if registration.library_id else None
                ),
                role="staff",
                language=registration.language or survey.agency.language,
                registration=registration,
            )
        )
    Invitation.objects.bulk_create(created)
    Survey.objects.filter(pk=survey.pk).update(
        sent_on=timezone.localdate(), version=F("version") + 1
    )
    for invitation in Invitation.objects.filter(
        survey=survey, email__in=[i.email for i in created]
    ):
        enqueue_on_commit(send_invitation, invitation_id=invitation.pk)
    audit_log(
        action="competence.invitations.created",
        agency=survey.agency,
        target=survey,
        data={"count": len(created)},
    )
    return len(created)


# --- Framework and plans -----------------------------------------------------------------------


@transaction.atomic
def area_save(*, actor: Actor | None, agency: Agency, area: CompetenceArea) -> CompetenceArea:
    created = area.pk is None
    area.agency = agency
    if created and not area.order:
        area.order = CompetenceArea.objects.filter(agency=agency).count() + 1
    area.save()
    if not created:  # its name and order are in the results of the surveys that ask about it
        survey_version_bump(
            survey_ids=Survey.objects.filter(questions__areas=area).values_list("pk", flat=True)
        )
    audit_log(
        action="competence.area.created" if created else "competence.area.updated",
        actor=actor,
        agency=agency,
        target=area,
    )
    return area


@transaction.atomic
def plan_save(
    *, actor: Actor | None, agency: Agency, plan: Plan, plan_goals: Iterable[Any] | None = None
) -> Plan:
    _own(agency, plan.mapping)
    created = plan.pk is None
    plan.agency = agency
    plan.save()
    if plan_goals is not None:
        goals = list(plan_goals)
        check_plan_goals(agency, goals)  # the agency's own plan's goals only
        plan.plan_goals.set(goals)
    audit_log(
        action="competence.plan.created" if created else "competence.plan.updated",
        actor=actor,
        agency=agency,
        target=plan,
    )
    return plan


@transaction.atomic
def plan_area_save(
    *, actor: Actor | None, agency: Agency, plan_area: PlanArea, events: Iterable[Any] = ()
) -> PlanArea:
    _own(agency, plan_area.plan, plan_area.area)
    event_list = list(events)
    _own(agency, *event_list)
    plan_area.full_clean(exclude=["plan", "area", "events"])
    plan_area.save()
    plan_area.events.set(event_list)
    audit_log(action="competence.plan.updated", actor=actor, agency=agency, target=plan_area.plan)
    return plan_area
