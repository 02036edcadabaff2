"""The agency's staff manage projects: the list (with CSV and XLSX exports), the project form,
the project page, and its parts — partners, measures, funding lines and status reports — plus
documents and the agency's list of funders. Every change is a service call (services.py).

Partner agencies' staff see the project page and its documents on their own site, read-only.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.projects import services
from bokbro.projects.access import document_for_user, is_owner, project_for_user
from bokbro.projects.forms import (
    DocumentForm,
    FunderForm,
    FundingLineForm,
    MeasureForm,
    PartnerEditForm,
    PartnerForm,
    ProjectFilterForm,
    ProjectForm,
    ReportForm,
)
from bokbro.projects.models import (
    Funder,
    FundingLine,
    Measure,
    Partner,
    Project,
    StatusReport,
)
from bokbro.projects.selectors import funding_summary

PAGE_SIZE = 50


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "projects/staff/form_page.html", context)


# --- The list ----------------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ProjectFilterForm, Any]:
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.involving(site_agency(request)).for_list()
    if form.is_valid():
        if form.cleaned_data["status"]:
            projects = projects.filter(status=form.cleaned_data["status"])
        year = form.cleaned_data["year"]
        if year:
            projects = projects.filter(
                Q(starts_on__isnull=True) | Q(starts_on__year__lte=year),
                Q(ends_on__isnull=True) | Q(ends_on__year__gte=year),
            )
        q = form.cleaned_data["q"].strip()
        if q:
            projects = projects.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return form, projects.order_by("-starts_on", "title", "pk")


@staff_required
def project_list(request: HttpRequest) -> HttpResponse:
    form, projects = _filtered(request)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/staff/list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _export_rows(request: HttpRequest) -> tuple[list[str], list[list[Any]]]:
    _form, projects = _filtered(request)
    header = [
        _("Project"),
        _("Status"),
        _("Starts"),
        _("Ends"),
        _("Owner"),
        _("Lead organisation"),
        _("Contact person"),
        _("Currency"),
        _("Applied for"),
        _("Granted"),
        _("Reported as spent"),
        _("Own funding (%)"),
        _("Published"),
    ]
    rows = []
    for project in projects.prefetch_related("funding__funder"):
        summary = funding_summary(project)
        rows.append(
            [
                project.title,
                project.get_status_display(),
                project.starts_on,
                project.ends_on,
                project.agency.name,
                project.lead_organisation,
                project.contact.name if project.contact else "",
                project.currency,
                summary.applied,
                summary.granted,
                summary.reported,
                None if summary.own_share is None else round(summary.own_share, 1),
                _("Yes") if project.is_published else _("No"),
            ]
        )
    return header, rows


@staff_required
def export_csv(request: HttpRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    return exports.csv_response(header, rows, f"projects-{site_agency(request).slug}.csv")


@staff_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    sheet = exports.Sheet(_("Projects"), header, rows)
    return exports.xlsx_response([sheet], f"projects-{site_agency(request).slug}.xlsx")


# --- Creating and editing ----------------------------------------------------------------------


@staff_required
def project_create(request: HttpRequest) -> HttpResponse:
    return _project_form(request, None)


@staff_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(request, project_for_user(request, pk, write=True))


def _project_form(request: HttpRequest, project: Project | None) -> HttpResponse:
    agency = site_agency(request)
    # The form works on its own copy: the service compares the project with the new values.
    instance = Project.objects.get(pk=project.pk) if project else Project(agency=agency)
    form = ProjectForm(request.POST or None, instance=instance, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            if project is None:
                saved = services.project_create(
                    actor=request.user, agency=agency, data=form.project_data()
                )
                messages.success(request, _("The project is created."))
            else:
                saved = services.project_update(
                    actor=request.user, agency=agency, project=project, data=form.project_data()
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("projects:staff_detail", saved.pk)
    title = _("Edit %(title)s") % {"title": project.title} if project else _("New project")
    return _form_page(
        request,
        {
            "project": project,
            "form": form,
            "page_title": title,
            "cancel_url": project.get_staff_url() if project else reverse("projects:staff_list"),
            "submit": _("Save"),
        },
    )


# --- The project page --------------------------------------------------------------------------


@staff_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_user(request, pk)
    owner = is_owner(request, project)
    return render(
        request,
        "projects/staff/detail.html",
        {
            "project": project,
            "owner": owner,
            "partners": list(project.partners.for_list()),
            "measures": list(project.measures.prefetch_related("plan_goals")),
            "funding": funding_summary(project),
            "reports": list(project.reports.select_related("funder")),
            "documents": list(project.documents.select_related("report", "added_by")),
            "history": AuditEntry.objects.for_target(project).for_list()[:30] if owner else [],
        },
    )


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


def _partner_create(request: HttpRequest, project: Project, form: Any) -> Any:
    return services.partner_add(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        data=form.partner_data(),
    )


def _partner_update(request: HttpRequest, item: Partner, form: Any) -> Any:
    return services.partner_update(
        actor=request.user,
        agency=site_agency(request),
        partner=item,
        data=form.partner_data(),
    )


def _measure_create(request: HttpRequest, project: Project, form: Any) -> Any:
    return services.measure_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        data=form.cleaned_data,
    )


def _measure_update(request: HttpRequest, item: Measure, form: Any) -> Any:
    return services.measure_update(
        actor=request.user,
        agency=site_agency(request),
        measure=item,
        data=form.cleaned_data,
    )


def _line_create(request: HttpRequest, project: Project, form: Any) -> Any:
    return services.funding_line_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        data=form.line_data(),
        new_funder=form.cleaned_data["new_funder"],
    )


def _line_update(request: HttpRequest, item: FundingLine, form: Any) -> Any:
    return services.funding_line_update(
        actor=request.user,
        agency=site_agency(request),
        line=item,
        data=form.line_data(),
        new_funder=form.cleaned_data["new_funder"],
    )


def _report_create(request: HttpRequest, project: Project, form: Any) -> Any:
    return services.report_create(
        actor=request.user,
        agency=site_agency(request),
        project=project,
        data=form.cleaned_data,
    )


def _report_update(request: HttpRequest, item: StatusReport, form: Any) -> Any:
    return services.report_update(
        actor=request.user,
        agency=site_agency(request),
        report=item,
        data=form.cleaned_data,
    )


PARTS = {
    "partners": Part(
        model=Partner,
        form=PartnerForm,
        edit_form=PartnerEditForm,
        create=_partner_create,
        update=_partner_update,
        delete=lambda r, item: services.partner_remove(
            actor=r.user, agency=site_agency(r), partner=item
        ),
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
        delete=lambda r, item: services.measure_delete(
            actor=r.user, agency=site_agency(r), measure=item
        ),
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
        delete=lambda r, item: services.funding_line_delete(
            actor=r.user, agency=site_agency(r), line=item
        ),
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
        delete=lambda r, item: services.report_delete(
            actor=r.user, agency=site_agency(r), report=item
        ),
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
def part_create(request: HttpRequest, pk: int, part: str) -> HttpResponse:
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
    return _form_page(
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
def part_edit(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
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
    return _form_page(
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
def part_delete(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    kind = _part(part)
    kind.delete(request, _item(kind, project, item_pk))
    messages.success(request, str(kind.deleted))
    return redirect(_back(project, kind))


# --- Documents ---------------------------------------------------------------------------------


@staff_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                actor=request.user,
                agency=site_agency(request),
                project=project,
                title=data["title"],
                kind=data["kind"],
                file=data["file"],
                report=data["report"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document is stored."))
            return redirect(f"{project.get_staff_url()}#documents-heading")
    return _form_page(
        request,
        {
            "project": project,
            "form": form,
            "page_title": _("Add a document"),
            "cancel_url": f"{project.get_staff_url()}#documents-heading",
            "submit": _("Upload"),
            "multipart": True,
        },
    )


@staff_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    project = project_for_user(request, pk)
    document = document_for_user(request, project, document_pk)
    try:
        handle = default_storage.open(document.file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    project = project_for_user(request, pk, write=True)
    document = document_for_user(request, project, document_pk)
    services.document_remove(actor=request.user, agency=site_agency(request), document=document)
    messages.success(request, _("“%(title)s” is removed.") % {"title": document.title})
    return redirect(f"{project.get_staff_url()}#documents-heading")


# --- The agency's funders ----------------------------------------------------------------------


@staff_required
def funders(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    form = FunderForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_create(actor=request.user, agency=agency, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The funder is added."))
            return redirect("projects:funders")
    return render(
        request,
        "projects/staff/funders.html",
        {"form": form, "funders": Funder.objects.filter(agency=agency)},
    )


@staff_required
def funder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = site_agency(request)
    funder = get_object_or_404(Funder, pk=pk, agency=agency)
    form = FunderForm(
        request.POST or None, instance=Funder.objects.get(pk=funder.pk), agency=agency
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.funder_update(
                actor=request.user, agency=agency, funder=funder, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("projects:funders")
    return _form_page(
        request,
        {
            "form": form,
            "page_title": _("Edit %(title)s") % {"title": funder.name},
            "cancel_url": reverse("projects:funders"),
            "submit": _("Save"),
            "funders_page": True,
        },
    )
