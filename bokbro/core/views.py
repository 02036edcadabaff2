from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core.access import staff_required
from bokbro.core.forms import AgencyForm, TeamMemberForm
from bokbro.core.models import AuditEntry
from bokbro.core.pagination import query_without_page
from bokbro.core.tenancy import site_agency
from bokbro.directory import services as directory_services
from bokbro.directory.models import Agency, TeamMember


def home(request: HttpRequest) -> HttpResponse:
    agency = request.agency  # type: ignore[attr-defined]
    counties = []
    if agency is not None:
        # Each county's own numbers; open libraries, counting those run for the whole county.
        counties = agency.counties.annotate(
            municipality_count=Count("municipalities", distinct=True),
            library_count=Count(
                "municipalities__libraries",
                filter=Q(municipalities__libraries__is_active=True),
                distinct=True,
            )
            + Count(
                "regional_libraries", filter=Q(regional_libraries__is_active=True), distinct=True
            ),
        ).order_by("name")
    return render(request, "core/home.html", {"counties": counties})


def team(request: HttpRequest) -> HttpResponse:
    agency = site_agency(request)
    members = agency.team.filter(is_listed=True)
    return render(request, "core/team.html", {"members": members})


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: a form post that works without JavaScript."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


@staff_required(admin=True)
def audit_log_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.for_list().filter(agency=request.agency)  # type: ignore[attr-defined]
    # PostgreSQL cannot compare text holding NUL; no action code has one.
    action = request.GET.get("action", "").replace("\x00", "").strip()[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "action": action, "query": query_without_page(request)},
    )


@staff_required(admin=True)
def agency_edit(request: HttpRequest) -> HttpResponse:
    agency = request.agency  # type: ignore[attr-defined]
    # The form validates a copy: the service compares the agency with the new values.
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        directory_services.agency_update(actor=request.user, agency=agency, data=form.cleaned_data)
        messages.success(request, _("The agency's details are saved."))
        return redirect("core:contact")
    return render(request, "core/agency_form.html", {"form": form})


def _team_member(request: HttpRequest, pk: int) -> TeamMember:
    """A member of the request's agency's team; another agency's members are 404."""
    return get_object_or_404(TeamMember, pk=pk, agency=request.agency)  # type: ignore[attr-defined]


@staff_required(admin=True)
def team_manage(request: HttpRequest) -> HttpResponse:
    members = request.agency.team.select_related("user")  # type: ignore[attr-defined]
    return render(request, "core/team_manage.html", {"members": members})


@staff_required(admin=True)
def team_member_create(request: HttpRequest) -> HttpResponse:
    agency = request.agency  # type: ignore[attr-defined]
    form = TeamMemberForm(request.POST or None, instance=TeamMember(agency=agency))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            directory_services.team_member_create(actor=request.user, agency=agency, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The team member is added."))
            return redirect("core:team_manage")
    return render(request, "core/team_member_form.html", {"form": form, "member": None})


@staff_required(admin=True)
def team_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = request.agency  # type: ignore[attr-defined]
    member = _team_member(request, pk)
    form = TeamMemberForm(request.POST or None, instance=TeamMember.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            directory_services.team_member_update(
                actor=request.user, agency=agency, member=member, data=data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("core:team_manage")
    return render(request, "core/team_member_form.html", {"form": form, "member": member})


@staff_required(admin=True)
@require_POST
def team_member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = _team_member(request, pk)
    try:
        directory_services.team_member_delete(
            actor=request.user,
            agency=request.agency,
            member=member,  # type: ignore[attr-defined]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The team member is removed."))
    return redirect("core:team_manage")


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(
        request, "core/error.html", {"status": status, "title": title, "text": text}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The address or form could not be read."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("No access"),
        _("You do not have access to this page. Ask your agency if you think you should."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, _("Page not found"), _("The page may have moved, or the address is wrong.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, _("Something went wrong"), _("The error is logged. Please try again later.")
    )
