"""The agency's own pages: its team (public), and for its administrators the agency's details,
the team and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.core.types import AgencyRequest, StaffRequest
from bokbro.directory import services as directory_services
from bokbro.directory.access import staff_required, team_member_for_user
from bokbro.directory.forms import AgencyForm, TeamMemberForm
from bokbro.directory.look import agency_css, logo_content_type
from bokbro.directory.models import Agency, TeamMember
from bokbro.directory.tenancy import site_agency

YEAR = 365 * 24 * 3600


def _cached(response: HttpResponse, request: AgencyRequest, version: int) -> HttpResponse:
    """Kept for a year when asked for with the current version (its address changes with the
    look), else checked each time."""
    if request.GET.get("v") == str(version):
        response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response


def style(request: AgencyRequest) -> HttpResponse:
    """The agency's accent colour as a style sheet (directory/look.py)."""
    agency = site_agency(request)
    response = HttpResponse(
        agency_css(agency.accent_colour), content_type="text/css; charset=utf-8"
    )
    return _cached(response, request, agency.look_version)


def logo(request: AgencyRequest) -> HttpResponse:
    """The agency's logo; an SVG is served so that nothing in it could run even if opened on
    its own (it was checked on upload, this is the second lock)."""
    agency = site_agency(request)
    if not agency.logo:
        raise Http404
    try:
        with agency.logo.open("rb") as handle:
            content = handle.read()
    except OSError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=logo_content_type(agency.logo.name or ""))
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return _cached(response, request, agency.look_version)


def team(request: AgencyRequest) -> HttpResponse:
    agency = site_agency(request)
    members = agency.team.filter(is_listed=True)
    return render(request, "directory/team.html", {"members": members})


@staff_required(admin=True)
def audit_log_list(request: StaffRequest) -> HttpResponse:
    entries = AuditEntry.objects.for_list().filter(agency=request.agency)
    # PostgreSQL cannot compare text holding NUL; no action code has one.
    action = request.GET.get("action", "").replace("\x00", "").strip()[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/audit_log.html",
        {"page": page, "action": action, "query": query_without_page(request)},
    )


@staff_required(admin=True)
def agency_edit(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    # The form validates a copy: the service compares the agency with the new values.
    form = AgencyForm(
        request.POST or None, request.FILES or None, instance=Agency.objects.get(pk=agency.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = directory_services.AgencyData.of(agency, **form.cleaned_data)
        directory_services.agency_update(actor=request.user, agency=agency, data=data)
        messages.success(request, _("The agency's details are saved."))
        return redirect("core:contact")
    return render(request, "directory/agency_form.html", {"form": form})


@staff_required(admin=True)
def team_manage(request: StaffRequest) -> HttpResponse:
    members = request.agency.team.select_related("user")
    return render(request, "directory/team_manage.html", {"members": members})


@staff_required(admin=True)
def team_member_create(request: StaffRequest) -> HttpResponse:
    agency = request.agency
    form = TeamMemberForm(request.POST or None, instance=TeamMember(agency=agency))
    if request.method == "POST" and form.is_valid():
        data = directory_services.TeamMemberData.from_values(form.cleaned_data)
        try:
            directory_services.team_member_create(actor=request.user, agency=agency, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team member is added."))
            return redirect("agency:team_manage")
    return render(request, "directory/team_member_form.html", {"form": form, "member": None})


@staff_required(admin=True)
def team_member_edit(request: StaffRequest, pk: int) -> HttpResponse:
    agency = request.agency
    member = team_member_for_user(request, pk)
    form = TeamMemberForm(request.POST or None, instance=TeamMember.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        data = directory_services.TeamMemberData.from_values(form.cleaned_data)
        try:
            directory_services.team_member_update(
                actor=request.user, agency=agency, member=member, data=data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("agency:team_manage")
    return render(request, "directory/team_member_form.html", {"form": form, "member": member})


@staff_required(admin=True)
@require_POST
def team_member_delete(request: StaffRequest, pk: int) -> HttpResponse:
    member = team_member_for_user(request, pk)
    try:
        directory_services.team_member_delete(
            actor=request.user,
            agency=request.agency,
            member=member,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team member is removed."))
    return redirect("agency:team_manage")
