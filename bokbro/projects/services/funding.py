"""Funding: the agency's funders, a project's funding lines and its status reports to funders."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.projects.models import Funder, FundingLine, Partner, Project, StatusReport
from bokbro.projects.services.common import apply_changes, log_action

# --- What the services take (the defaults are the models') -----------------------------------


@dataclass(frozen=True, kw_only=True)
class FundingLineFields(Input):
    """`funder` is None when the caller names a new source instead (`new_funder`)."""

    funder: Funder | None = None
    year: int
    applied: Decimal
    granted: Decimal | None = None
    reported: Decimal | None = None
    partner: Partner | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class FunderFields(Input):
    name: str
    is_own: bool = False
    min_own_share: Decimal | None = None
    min_applied: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class StatusReportFields(Input):
    year: int
    funder: Funder | None = None
    due_on: date
    submitted_on: date | None = None
    note: str = ""


# --- Funding -----------------------------------------------------------------------------------


def _check_funder(line: FundingLine | StatusReport) -> None:
    if line.funder is not None and line.funder.agency_id != line.project.agency_id:
        raise ValidationError({"funder": _("Choose a source from your agency's list.")})
    partner = getattr(line, "partner", None)
    if partner is not None and partner.project_id != line.project_id:
        raise ValidationError({"partner": _("Choose one of the project's partners.")})


def _line_data(line: FundingLine) -> dict[str, Any]:
    return {
        "line_id": line.pk,
        "funder": line.funder.name,
        "partner": line.partner.name if line.partner_id and line.partner else None,
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
    return funder or funder_create(actor=actor, agency=agency, fields=FunderFields(name=name))


@transaction.atomic
def funding_line_create(
    *,
    actor: Actor | None,
    agency: Agency,
    project: Project,
    fields: FundingLineFields,
    new_funder: str = "",
) -> FundingLine:
    """A funding line; `new_funder`, if given, names a source to add to the agency's list."""
    line = FundingLine(project=project)
    apply_changes(line, fields)
    # None when no source is chosen: full_clean() below then asks for one.
    line.funder = _new_funder(  # type: ignore[assignment]
        actor=actor, agency=agency, project=project, name=new_funder
    ) or (line.funder if line.funder_id else None)
    _check_funder(line)
    line.full_clean()
    line.save()
    log_action(
        "projects.funding.created", actor=actor, agency=agency, project=project, **_line_data(line)
    )
    return line


@transaction.atomic
def funding_line_update(
    *,
    actor: Actor | None,
    agency: Agency,
    line: FundingLine,
    fields: FundingLineFields,
    new_funder: str = "",
) -> FundingLine:
    """`new_funder`, if given, replaces the source; with neither it the line keeps its own."""
    funder = _new_funder(actor=actor, agency=agency, project=line.project, name=new_funder)
    fields = replace(fields, funder=funder or fields.funder or line.funder)
    if apply_changes(line, fields):
        _check_funder(line)
        line.full_clean()
        line.save()
        log_action(
            "projects.funding.updated",
            actor=actor,
            agency=agency,
            project=line.project,
            **_line_data(line),
        )
    return line


@transaction.atomic
def funding_line_delete(*, actor: Actor | None, agency: Agency, line: FundingLine) -> None:
    log_action(
        "projects.funding.deleted",
        actor=actor,
        agency=agency,
        project=line.project,
        **_line_data(line),
    )
    line.delete()


@transaction.atomic
def funder_create(*, actor: Actor | None, agency: Agency, fields: FunderFields) -> Funder:
    funder = Funder(agency=agency)
    apply_changes(funder, fields)
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
def funder_update(*, actor: Actor, agency: Agency, funder: Funder, fields: FunderFields) -> Funder:
    changed = apply_changes(funder, fields)
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
    *, actor: Actor | None, agency: Agency, project: Project, fields: StatusReportFields
) -> StatusReport:
    report = StatusReport(project=project)
    apply_changes(report, fields)
    _check_funder(report)
    report.full_clean()
    report.save()
    log_action(
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
    *, actor: Actor, agency: Agency, report: StatusReport, fields: StatusReportFields
) -> StatusReport:
    was_submitted = report.submitted_on is not None
    changed = apply_changes(report, fields)
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
    log_action(
        action, actor=actor, agency=agency, project=report.project, year=report.year, fields=changed
    )
    return report


@transaction.atomic
def report_delete(*, actor: Actor, agency: Agency, report: StatusReport) -> None:
    log_action(
        "projects.report.deleted",
        actor=actor,
        agency=agency,
        project=report.project,
        year=report.year,
    )
    report.delete()
