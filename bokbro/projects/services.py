"""Every write to projects (STYLE.md §2): keyword-only, atomic, validated by the models' own
rules (`full_clean`, which also checks the CHECK and UNIQUE constraints with their messages), and
audit-logged against the project, so the project page shows one history of everything.

Rules that fail raise `django.core.exceptions.ValidationError` with messages in the user's
language; views put them on the form.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.plans.tagging import check_plan_goals
from bokbro.projects.models import (
    Document,
    Funder,
    FundingLine,
    Measure,
    Partner,
    Project,
    StatusReport,
)


def _user(actor: Actor | None) -> Actor | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _apply(obj: Any, data: dict[str, Any]) -> list[str]:
    """Set the values on `obj`; the names of the fields that changed."""
    changed = []
    for name, value in data.items():
        try:
            current = getattr(obj, name)
        except ObjectDoesNotExist:  # a foreign key not set yet
            current = None
        if current != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _plan_goals(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The data without `plan_goals` (a many-to-many, set after saving), and the goals (None:
    leave them as they are)."""
    data = dict(data)
    return data, data.pop("plan_goals", None)


def _set_plan_goals(obj: Any, goals: Any) -> bool:
    """Tag `obj` with exactly `goals`; whether that changed anything."""
    if goals is None:
        return False
    before = set(obj.plan_goals.values_list("pk", flat=True))
    obj.plan_goals.set(goals)
    return before != {goal.pk for goal in goals}


def _log(
    action: str, *, actor: Actor | None, agency: Agency, project: Project, **data: Any
) -> None:
    audit_log(action=action, actor=actor, agency=agency, target=project, data=data)


# --- Projects ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor: Actor | None, agency: Agency, data: dict[str, Any]) -> Project:
    data, goals = _plan_goals(data)
    check_plan_goals(agency, goals or ())
    project = Project(agency=agency, currency=agency.currency, created_by=_user(actor))
    _apply(project, data)
    project.full_clean(exclude=["created_by"])
    project.save()
    _set_plan_goals(project, goals)
    _log("projects.project.created", actor=actor, agency=agency, project=project)
    return project


@transaction.atomic
def project_update(
    *, actor: Actor, agency: Agency, project: Project, data: dict[str, Any]
) -> Project:
    was_published = project.is_published
    data, goals = _plan_goals(data)
    check_plan_goals(project.agency, goals or ())
    changed = _apply(project, data)
    goals_changed = _set_plan_goals(project, goals)
    if not changed and not goals_changed:
        return project
    if changed:
        project.full_clean(exclude=["created_by"])
        project.save()
    if goals_changed:
        changed.append("plan_goals")
    _log("projects.project.updated", actor=actor, agency=agency, project=project, fields=changed)
    if project.is_published != was_published:
        action = "projects.project.published" if project.is_published else "projects.project.hidden"
        _log(action, actor=actor, agency=agency, project=project)
    return project


# --- Partners ----------------------------------------------------------------------------------


def _check_partner(partner: Partner) -> None:
    if partner.agency_id is not None and partner.agency_id == partner.project.agency_id:
        raise ValidationError({"agency": _("Your own agency owns the project already.")})
    partner.full_clean()


@transaction.atomic
def partner_add(
    *, actor: Actor | None, agency: Agency, project: Project, data: dict[str, Any]
) -> Partner:
    partner = Partner(project=project)
    _apply(partner, data)
    _check_partner(partner)
    partner.save()
    _log(
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
    *, actor: Actor, agency: Agency, partner: Partner, data: dict[str, Any]
) -> Partner:
    changed = _apply(partner, data)
    if changed:
        _check_partner(partner)
        partner.save()
        _log(
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
    _log(
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
    *, actor: Actor | None, agency: Agency, project: Project, data: dict[str, Any]
) -> Measure:
    data, goals = _plan_goals(data)
    check_plan_goals(project.agency, goals or ())
    measure = Measure(project=project)
    _apply(measure, data)
    measure.full_clean()
    measure.save()
    _set_plan_goals(measure, goals)
    _log(
        "projects.measure.created", actor=actor, agency=agency, project=project, title=measure.title
    )
    return measure


@transaction.atomic
def measure_update(
    *, actor: Actor, agency: Agency, measure: Measure, data: dict[str, Any]
) -> Measure:
    data, goals = _plan_goals(data)
    check_plan_goals(measure.project.agency, goals or ())
    changed = _apply(measure, data)
    if changed:
        measure.full_clean()
        measure.save()
    if _set_plan_goals(measure, goals):
        changed.append("plan_goals")
    if changed:
        _log(
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
    _log(
        "projects.measure.deleted",
        actor=actor,
        agency=agency,
        project=measure.project,
        title=measure.title,
    )
    measure.delete()


# --- Funding -----------------------------------------------------------------------------------


def _check_funder(line: FundingLine | StatusReport) -> None:
    if line.funder is not None and line.funder.agency_id != line.project.agency_id:
        raise ValidationError({"funder": _("Choose a source from your agency's list.")})


def _line_data(line: FundingLine) -> dict[str, Any]:
    return {
        "line_id": line.pk,
        "funder": line.funder.name,
        "year": line.year,
        "applied": str(line.applied),
        "granted": None if line.granted is None else str(line.granted),
        "reported": None if line.reported is None else str(line.reported),
    }


def _new_funder(
    *, actor: Actor | None, agency: Agency, project: Project, name: str
) -> Funder | None:
    """A source typed in by name joins the owner's list (or is found on it)."""
    name = " ".join(name.split())
    if not name:
        return None
    funder = Funder.objects.filter(agency=project.agency, name__iexact=name).first()
    return funder or funder_create(actor=actor, agency=agency, data={"name": name})


@transaction.atomic
def funding_line_create(
    *,
    actor: Actor | None,
    agency: Agency,
    project: Project,
    data: dict[str, Any],
    new_funder: str = "",
) -> FundingLine:
    """A funding line; `new_funder`, if given, names a source to add to the agency's list."""
    line = FundingLine(project=project)
    _apply(line, data)
    # None when no source is chosen: full_clean() below then asks for one.
    line.funder = _new_funder(  # type: ignore[assignment]
        actor=actor, agency=agency, project=project, name=new_funder
    ) or (line.funder if line.funder_id else None)
    _check_funder(line)
    line.full_clean()
    line.save()
    _log(
        "projects.funding.created", actor=actor, agency=agency, project=project, **_line_data(line)
    )
    return line


@transaction.atomic
def funding_line_update(
    *,
    actor: Actor,
    agency: Agency,
    line: FundingLine,
    data: dict[str, Any],
    new_funder: str = "",
) -> FundingLine:
    funder = _new_funder(actor=actor, agency=agency, project=line.project, name=new_funder)
    if funder is not None:
        data = {**data, "funder": funder}
    if _apply(line, data):
        _check_funder(line)
        line.full_clean()
        line.save()
        _log(
            "projects.funding.updated",
            actor=actor,
            agency=agency,
            project=line.project,
            **_line_data(line),
        )
    return line


@transaction.atomic
def funding_line_delete(*, actor: Actor, agency: Agency, line: FundingLine) -> None:
    _log(
        "projects.funding.deleted",
        actor=actor,
        agency=agency,
        project=line.project,
        **_line_data(line),
    )
    line.delete()


@transaction.atomic
def funder_create(*, actor: Actor | None, agency: Agency, data: dict[str, Any]) -> Funder:
    funder = Funder(agency=agency)
    _apply(funder, data)
    funder.full_clean()
    funder.save()
    audit_log(
        action="projects.funder.created",
        actor=actor,
        agency=agency,
        target=funder,
        data={"name": funder.name},
    )
    return funder


@transaction.atomic
def funder_update(*, actor: Actor, agency: Agency, funder: Funder, data: dict[str, Any]) -> Funder:
    changed = _apply(funder, data)
    if changed:
        funder.full_clean()
        funder.save()
        audit_log(
            action="projects.funder.updated",
            actor=actor,
            agency=agency,
            target=funder,
            data={"name": funder.name, "fields": changed},
        )
    return funder


# --- Status reports ----------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, actor: Actor | None, agency: Agency, project: Project, data: dict[str, Any]
) -> StatusReport:
    report = StatusReport(project=project)
    _apply(report, data)
    _check_funder(report)
    report.full_clean()
    report.save()
    _log(
        "projects.report.created",
        actor=actor,
        agency=agency,
        project=project,
        year=report.year,
        due_on=report.due_on.isoformat(),
    )
    return report


@transaction.atomic
def report_update(
    *, actor: Actor, agency: Agency, report: StatusReport, data: dict[str, Any]
) -> StatusReport:
    was_submitted = report.submitted_on is not None
    changed = _apply(report, data)
    if not changed:
        return report
    if "due_on" in changed:
        report.reminder_sent_at = None  # a new due date gets its own reminder
    _check_funder(report)
    report.full_clean()
    report.save()
    action = (
        "projects.report.submitted"
        if report.submitted_on is not None and not was_submitted
        else "projects.report.updated"
    )
    _log(
        action, actor=actor, agency=agency, project=report.project, year=report.year, fields=changed
    )
    return report


@transaction.atomic
def report_delete(*, actor: Actor, agency: Agency, report: StatusReport) -> None:
    _log(
        "projects.report.deleted",
        actor=actor,
        agency=agency,
        project=report.project,
        year=report.year,
    )
    report.delete()


# --- Documents ---------------------------------------------------------------------------------


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    agency: Agency,
    project: Project,
    title: str,
    kind: str,
    file: Any,
    report: StatusReport | None = None,
) -> Document:
    """Store an application, report or other document (its type and size are checked by the
    form, `forms.DocumentForm`); it is served only through views that check access."""
    if report is not None and report.project_id != project.pk:
        raise ValidationError({"report": _("The report belongs to another project.")})
    document = Document(
        project=project,
        title=title.strip(),
        kind=kind,
        file=file,
        size=getattr(file, "size", 0) or 0,
        report=report,
        added_by=_user(actor),
    )
    document.full_clean(exclude=["added_by", "file"])
    document.save()
    _log(
        "projects.document.added",
        actor=actor,
        agency=agency,
        project=project,
        document_id=document.pk,
        title=document.title,
    )
    return document


@transaction.atomic
def document_remove(*, actor: Actor, agency: Agency, document: Document) -> None:
    """Remove the document; its file leaves storage once the removal is committed (see
    `core/files.py`, connected in models.py, which also covers a deleted project)."""
    _log(
        "projects.document.removed",
        actor=actor,
        agency=agency,
        project=document.project,
        document_id=document.pk,
        title=document.title,
    )
    document.delete()
