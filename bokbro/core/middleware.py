from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def language_for_request(request: HttpRequest) -> str:
    """The visitor's choice (switcher cookie), else their profile, else the agency's language."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in SUPPORTED:
        return chosen
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in SUPPORTED:
        return user.language
    agency = getattr(request, "agency", None)
    if agency is not None and agency.language in SUPPORTED:
        return agency.language
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Replaces Django's LocaleMiddleware: the agency, not the browser, sets the default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_for_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class NulPathMiddleware:
    """An address with a NUL byte (`%00`) is not found, before any view runs: no address
    holds one, and PostgreSQL cannot compare text with it (a view looking a token up in a text
    path parameter would fail). Under /api/ the answer is the API's 404 (core/apierrors.py;
    only an operation with a path parameter can match such an address, and each documents
    404); elsewhere the 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            from bokbro.core import views

            return views.page_not_found(request)  # (in the API's shape under /api/)
        return self.get_response(request)
