"""Whole calendar pages kept for anonymous visitors: the same bytes for everyone but the CSRF
token of the language switcher, which is put in fresh for each request.

Used only for a GET with no session cookie: such a visitor is not signed in and has no
messages (they live in the session), so nothing personal is on the page. The key holds
everything else the page depends on: the agency (its id, the details the header and footer
show, and its look's version), the language, the path with its query string, today's date (the
month-view link), the calendar's fingerprint read from the database on every request
(`views.calendar_version`), so a new, changed, filled-up or ended event shows on the next
request, in every process — and the release (the templates and static files this process
serves), so a deployment never serves a page of the one before it, whose static file names may
be gone.

Pages are kept through Django's cache framework: with `REDIS_URL` set every web process shares
them (settings.CACHES), otherwise each process keeps its own (LocMemCache). Turned off with
DEBUG, so template edits show at once while developing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from bokbro.core.kept_parts import release

SECONDS = 600

# Tests forget the pages kept so far by moving to a new generation (a shared Redis is never
# flushed for that).
_generation = 0


def forget_all() -> None:
    global _generation
    _generation += 1


def _key(request: HttpRequest, agency: Any, version: str) -> str | None:
    if settings.DEBUG or request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    parts = (
        release(),
        _generation,
        agency.pk,
        agency.name,
        agency.organisation_name,
        agency.street_address,
        agency.postcode,
        agency.city,
        agency.email,
        agency.phone,
        getattr(agency, "look_version", None),  # logo, colour, name shown, footer (directory)
        translation.get_language(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        version,
    )
    return "events.page." + hashlib.sha256(repr(parts).encode()).hexdigest()


def anonymous_page(
    request: HttpRequest, agency: Any, version: str, render: Callable[[str], HttpResponse]
) -> HttpResponse:
    """The kept page, or `render(csrf_token)` kept for the next anonymous visitor."""
    key = _key(request, agency, version)
    kept = cache.get(key) if key is not None else None
    if kept is not None:
        parts, content_type = kept
        body = get_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
        response = HttpResponse(body, content_type=content_type)
        patch_cache_control(response, private=True)
        return response
    token = get_token(request)
    response = render(token)
    patch_cache_control(response, private=True)
    if (
        key is not None
        and response.status_code == 200
        and not getattr(request, "_messages", None)
        and not request.user.is_authenticated
    ):
        cache.set(key, (response.content.split(token.encode()), response["Content-Type"]), SECONDS)
    return response
