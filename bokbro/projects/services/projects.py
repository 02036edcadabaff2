"""Projects and their partners and measures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.models import Agency, Library, Municipality, TeamMember
from bokbro.plans.models import Goal
from bokbro.plans.tagging import check_plan_goals
from bokbro.projects.models import (
    Measure,
    MeasureStatus,
    Partner,
    PartnerRole,
    Project,
    ProjectStatus,
)
from bokbro.projects.services.common import (
    Tagged,
    acting_user,
    apply_changes,
    log_action,
    set_plan_goals,
)

# --- What the services take (the defaults are the models') -----------------------------------


@dataclass(frozen=True, kw_only=True)
class ProjectFields(Tagged):
    title: str
    summary: str = ""
    description: str = ""
    goals: str = ""
    plan_goals: tuple[Goal, ...] | None = None
    status: str = ProjectStatus.IDEA
    starts_on: date | None = None
    ends_on: date | None = None
    lead_organisation: str = ""
    contact: TeamMember | None = None
    internal_notes: str = ""
    is_published: bool = False
    public_summary: str = ""
    public_partners: bool = True
    public_measures: bool = True
    public_results: bool = True
    public_funding: bool = False


@dataclass(frozen=True, kw_only=True)
class PartnerFields(Input):
    """One of `library`, `municipality` and `agency`, or a partner outside Bokbro named by
    `external_name` with its kind (the model's CHECK holds it)."""

    library: Library | None = None
    municipality: Municipality | None = None
    agency: Agency | None = None
    external_name: str = ""
    external_kind: str = ""
    country: str = ""
    contact: str = ""
    role: str = PartnerRole.PARTNER
    results: str = ""
    transfer_value: str = ""


@dataclass(frozen=True, kw_only=True)
class MeasureFields(Tagged):
    title: str
    description: str = ""
    owner: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    status: str = MeasureStatus.PLANNED
    plan_goals: tuple[Goal, ...] | None = None


# --- Projects ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor: Actor | None, agency: Agency, fields: ProjectFields) -> Project:
    check_plan_goals(agency, fields.plan_goals or ())
    project = Project(agency=agency, currency=agency.currency, created_by=acting_user(actor))
    apply_changes(project, fields)
    project.full_clean(exclude=["created_by"])
    project.save()
    set_plan_goals(project, fields.plan_goals)
    log_action("projects.project.created", actor=actor, agency=agency, project=project)
    return project


@transaction.atomic
def project_update(
    *, actor: Actor, agency: Agency, project: Project, fields: ProjectFields
) -> Project:
    was_published = project.is_published
    check_plan_goals(project.agency, fields.plan_goals or ())
    changed = apply_changes(project, fields)
    goals_changed = set_plan_goals(project, fields.plan_goals)
    if not changed and not goals_changed:
        return project
    if changed:
        project.full_clean(exclude=["created_by"])
        project.save()
    if goals_changed:
        changed.append("plan_goals")
    log_action(
        "projects.project.updated", actor=actor, agency=agency, project=project, fields=changed
    )
    if project.is_published != was_published:
        action = "projects.project.published" if project.is_published else "projects.project.hidden"
        log_action(action, actor=actor, agency=agency, project=project)
    return project


# --- Partners ----------------------------------------------------------------------------------


def _check_partner(partner: Partner) -> None:
    if partner.agency_id is not None and partner.agency_id == partner.project.agency_id:
        raise ValidationError({"agency": _("Your own agency owns the project already.")})
    partner.full_clean()


@transaction.atomic
def partner_add(
    *, actor: Actor | None, agency: Agency, project: Project, fields: PartnerFields
) -> Partner:
    partner = Partner(project=project)
    apply_changes(partner, fields)
    _check_partner(partner)
    partner.save()
    log_action(
        "projects.partner.added",
        actor=actor,
        agency=agency,
        project=project,
        partner=partner.name,
        role=partner.role,
    )
    return partner


@transaction.atomic
def partner_update(
    *, actor: Actor, agency: Agency, partner: Partner, fields: PartnerFields
) -> Partner:
    changed = apply_changes(partner, fields)
    if changed:
        _check_partner(partner)
        partner.save()
        log_action(
            "projects.partner.updated",
            actor=actor,
            agency=agency,
            project=partner.project,
            partner=partner.name,
            fields=changed,
        )
    return partner


@transaction.atomic
def partner_remove(*, actor: Actor, agency: Agency, partner: Partner) -> None:
    log_action(
        "projects.partner.removed",
        actor=actor,
        agency=agency,
        project=partner.project,
        partner=partner.name,
    )
    partner.delete()


# --- Measures ----------------------------------------------------------------------------------


@transaction.atomic
def measure_create(
    *, actor: Actor | None, agency: Agency, project: Project, fields: MeasureFields
) -> Measure:
    check_plan_goals(project.agency, fields.plan_goals or ())
    measure = Measure(project=project)
    apply_changes(measure, fields)
    measure.full_clean()
    measure.save()
    set_plan_goals(measure, fields.plan_goals)
    log_action(
        "projects.measure.created", actor=actor, agency=agency, project=project, title=measure.title
    )
    return measure


@transaction.atomic
def measure_update(
    *, actor: Actor, agency: Agency, measure: Measure, fields: MeasureFields
) -> Measure:
    check_plan_goals(measure.project.agency, fields.plan_goals or ())
    changed = apply_changes(measure, fields)
    if changed:
        measure.full_clean()
        measure.save()
    if set_plan_goals(measure, fields.plan_goals):
        changed.append("plan_goals")
    if changed:
        log_action(
            "projects.measure.updated",
            actor=actor,
            agency=agency,
            project=measure.project,
            title=measure.title,
            fields=changed,
            status=measure.status,
        )
    return measure


@transaction.atomic
def measure_delete(*, actor: Actor, agency: Agency, measure: Measure) -> None:
    log_action(
        "projects.measure.deleted",
        actor=actor,
        agency=agency,
        project=measure.project,
        title=measure.title,
    )
    measure.delete()
