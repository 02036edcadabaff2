"""The parts of a project on its staff page: partners, measures, funding lines and status
reports, each added, edited and removed through its service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core.forms import add_service_errors
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.projects.access import project_for_user
from bokbro.projects.forms import (
    FundingLineForm,
    MeasureForm,
    PartnerEditForm,
    PartnerForm,
    ReportForm,
)
from bokbro.projects.models import (
    FundingLine,
    Measure,
    Partner,
    Project,
    StatusReport,
)
from bokbro.projects.services.funding import (
    FundingLineFields,
    StatusReportFields,
    funding_line_create,
    funding_line_delete,
    funding_line_update,
    report_create,
    report_delete,
    report_update,
)
from bokbro.projects.services.projects import (
    MeasureFields,
    PartnerFields,
    measure_create,
    measure_delete,
    measure_update,
    partner_add,
    partner_remove,
    partner_update,
)
from bokbro.projects.views.common import form_page

# --- The parts of a project: partners, measures, funding lines and status reports ----------------


@dataclass(frozen=True)
class Part:
    model: type
    form: type
    edit_form: type
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    add_title: Any
    edit_title: Any
    added: Any
    deleted: Any
    anchor: str


def _partner_create(request: StaffRequest, project: Project, form: Any) -> Any:
    return partner_add(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        fields=PartnerFields.from_values(form.cleaned_data),
    )


def _partner_update(request: StaffRequest, item: Partner, form: Any) -> Any:
    return partner_update(
        actor=request.user,
        agency=site_agency(request),
        partner=item,
        # The edit form changes the role and the texts; who the partner is stays.
        fields=PartnerFields.of(item, **form.cleaned_data),
    )


def _measure_create(request: StaffRequest, project: Project, form: Any) -> Any:
    return measure_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        fields=MeasureFields.from_values(form.cleaned_data),
    )


def _measure_update(request: StaffRequest, item: Measure, form: Any) -> Any:
    return measure_update(
        actor=request.user,
        agency=site_agency(request),
        measure=item,
        fields=MeasureFields.from_values(form.cleaned_data),
    )


def _line_create(request: StaffRequest, project: Project, form: Any) -> Any:
    return funding_line_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        fields=FundingLineFields.from_values(form.cleaned_data),
        new_funder=form.cleaned_data["new_funder"],
    )


def _line_update(request: StaffRequest, item: FundingLine, form: Any) -> Any:
    return funding_line_update(
        actor=request.user,
        agency=site_agency(request),
        line=item,
        fields=FundingLineFields.from_values(form.cleaned_data),
        new_funder=form.cleaned_data["new_funder"],
    )


def _report_create(request: StaffRequest, project: Project, form: Any) -> Any:
    return report_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        fields=StatusReportFields.from_values(form.cleaned_data),
    )


def _report_update(request: StaffRequest, item: StatusReport, form: Any) -> Any:
    return report_update(
        actor=request.user,
        agency=site_agency(request),
        report=item,
        fields=StatusReportFields.from_values(form.cleaned_data),
    )


PARTS = {
    "partners": Part(
        model=Partner,
        form=PartnerForm,
        edit_form=PartnerEditForm,
        create=_partner_create,
        update=_partner_update,
        delete=lambda r, item: partner_remove(actor=r.user, agency=site_agency(r), partner=item),
        add_title=gettext_lazy("Add a partner"),
        edit_title=gettext_lazy("Edit the partner"),
        added=gettext_lazy("The partner is added."),
        deleted=gettext_lazy("The partner is removed."),
        anchor="partners-heading",
    ),
    "measures": Part(
        model=Measure,
        form=MeasureForm,
        edit_form=MeasureForm,
        create=_measure_create,
        update=_measure_update,
        delete=lambda r, item: measure_delete(actor=r.user, agency=site_agency(r), measure=item),
        add_title=gettext_lazy("Add a measure"),
        edit_title=gettext_lazy("Edit the measure"),
        added=gettext_lazy("The measure is added."),
        deleted=gettext_lazy("The measure is deleted."),
        anchor="measures-heading",
    ),
    "funding": Part(
        model=FundingLine,
        form=FundingLineForm,
        edit_form=FundingLineForm,
        create=_line_create,
        update=_line_update,
        delete=lambda r, item: funding_line_delete(actor=r.user, agency=site_agency(r), line=item),
        add_title=gettext_lazy("Add a funding line"),
        edit_title=gettext_lazy("Edit the funding line"),
        added=gettext_lazy("The funding line is added."),
        deleted=gettext_lazy("The funding line is deleted."),
        anchor="funding-heading",
    ),
    "reports": Part(
        model=StatusReport,
        form=ReportForm,
        edit_form=ReportForm,
        create=_report_create,
        update=_report_update,
        delete=lambda r, item: report_delete(actor=r.user, agency=site_agency(r), report=item),
        add_title=gettext_lazy("Add a status report"),
        edit_title=gettext_lazy("Edit the status report"),
        added=gettext_lazy("The status report is added."),
        deleted=gettext_lazy("The status report is deleted."),
        anchor="reports-heading",
    ),
}


def _part(name: str) -> Part:
    if name not in PARTS:
        raise Http404
    return PARTS[name]


def _item(part: Part, project: Project, item_pk: int) -> Any:
    return get_object_or_404(part.model, pk=item_pk, project=project)


def _back(project: Project, part: Part) -> str:
    return f"{project.get_staff_url()}#{part.anchor}"


@staff_required
def part_create(request: StaffRequest, pk: int, part: str) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    kind = _part(part)
    form = kind.form(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            kind.create(request, project, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(kind.added))
            return redirect(_back(project, kind))
    return form_page(
        request,
        {
            "project": project,
            "form": form,
            "page_title": kind.add_title,
            "cancel_url": _back(project, kind),
            "submit": _("Add"),
        },
    )


@staff_required
def part_edit(request: StaffRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    kind = _part(part)
    item = _item(kind, project, item_pk)
    # The form works on its own copy: the service compares the item with the new values.
    form = kind.edit_form(
        request.POST or None, instance=_item(kind, project, item_pk), project=project
    )
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(request, item, form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_back(project, kind))
    return form_page(
        request,
        {
            "project": project,
            "form": form,
            "page_title": kind.edit_title,
            "cancel_url": _back(project, kind),
            "submit": _("Save"),
        },
    )


@staff_required
@require_POST
def part_delete(request: StaffRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    kind = _part(part)
    kind.delete(request, _item(kind, project, item_pk))
    messages.success(request, str(kind.deleted))
    return redirect(_back(project, kind))
