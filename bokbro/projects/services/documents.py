"""A project's documents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.types import Actor
from bokbro.directory.models import Agency
from bokbro.projects.models import Document, Project, StatusReport
from bokbro.projects.services.common import acting_user, log_action


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
        added_by=acting_user(actor),
    )
    document.full_clean(exclude=["added_by", "file"])
    document.save()
    log_action(
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
    log_action(
        "projects.document.removed",
        actor=actor,
        agency=agency,
        project=document.project,
        document_id=document.pk,
        title=document.title,
    )
    document.delete()
