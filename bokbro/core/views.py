from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bokbro.core import apierrors
from bokbro.core.home import shown_sections
from bokbro.core.types import AgencyRequest


def home(request: AgencyRequest) -> HttpResponse:
    agency = request.agency
    counties: Iterable[object] = []
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
    sections = shown_sections(request) if agency is not None else []
    welcome = agency.welcome_html(get_language()) if agency is not None else ""
    return render(
        request, "core/home.html", {"counties": counties, "sections": sections, "welcome": welcome}
    )


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/contact.html", {})


def privacy(request: HttpRequest) -> HttpResponse:
    # How long class-set bookings keep the teacher's name (classsets/privacy.py).
    days = settings.CLASSSETS_CONTACT_KEEP_DAYS
    return render(request, "core/privacy.html", {"contact_keep_days": days})


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
            samesite=cast(Any, settings.LANGUAGE_COOKIE_SAMESITE),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith(apierrors.API_PREFIX):
        # An address under /api/ that no operation has (/api/events/abc): the API's error
        # shape, not the HTML page.
        code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status, "server_error")
        payload = apierrors.not_found() if status == 404 else apierrors.error(code, text)
        return apierrors.error_response(status, payload)
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
