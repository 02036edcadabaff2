"""The agency's staff manage projects: the list (with CSV and XLSX exports), the project form
and the project page. Every change is a service call (services/).

Partner agencies' staff see the project page on their own site, read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bokbro.core import exports
from bokbro.core.forms import add_service_errors
from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.core.types import StaffRequest
from bokbro.directory.access import staff_required
from bokbro.directory.tenancy import site_agency
from bokbro.projects.access import is_owner, project_for_user
from bokbro.projects.forms import (
    ProjectFilterForm,
    ProjectForm,
)
from bokbro.projects.models import (
    Project,
)
from bokbro.projects.selectors import funding_summary
from bokbro.projects.services import projects as services
from bokbro.projects.views.common import form_page

PAGE_SIZE = 50

# --- The list ----------------------------------------------------------------------------------


def _filtered(request: StaffRequest) -> tuple[ProjectFilterForm, Any]:
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
def project_list(request: StaffRequest) -> HttpResponse:
    form, projects = _filtered(request)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/staff/list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _export_rows(request: StaffRequest) -> tuple[list[str], list[list[Any]]]:
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
def export_csv(request: StaffRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    return exports.csv_response(header, rows, f"projects-{site_agency(request).slug}.csv")


@staff_required
def export_xlsx(request: StaffRequest) -> HttpResponse:
    header, rows = _export_rows(request)
    sheet = exports.Sheet(_("Projects"), header, rows)
    return exports.xlsx_response([sheet], f"projects-{site_agency(request).slug}.xlsx")


# --- Creating and editing ----------------------------------------------------------------------


@staff_required
def project_create(request: StaffRequest) -> HttpResponse:
    return _project_form(request, None)


@staff_required
def project_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _project_form(request, project_for_user(request, pk, write=True))


def _project_form(request: StaffRequest, project: Project | None) -> HttpResponse:
    agency = site_agency(request)
    # The form works on its own copy: the service compares the project with the new values.
    instance = Project.objects.get(pk=project.pk) if project else Project(agency=agency)
    form = ProjectForm(request.POST or None, instance=instance, agency=agency)
    if request.method == "POST" and form.is_valid():
        fields = services.ProjectFields.from_values(form.cleaned_data)
        try:
            if project is None:
                saved = services.project_create(actor=request.user, agency=agency, fields=fields)
                messages.success(request, _("The project is created."))
            else:
                saved = services.project_update(
                    actor=request.user, agency=agency, project=project, fields=fields
                )
                messages.success(request, _("Your changes are saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("projects:staff_detail", saved.pk)
    title = _("Edit %(title)s") % {"title": project.title} if project else _("New project")
    return form_page(
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
def project_detail(request: StaffRequest, pk: int) -> HttpResponse:
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
