"""Whole calendar pages kept for anonymous visitors: the same bytes for everyone but the CSRF
token of the language switcher, which is put in fresh for each request.

Used only for a GET with no session cookie: such a visitor is not signed in and has no
messages (they live in the session), so nothing personal is on the page. The key holds
everything else the page depends on: the agency (its id and the details the header and footer
show), the language, the path with its query string, today's date (the month-view link) and the
calendar's fingerprint read from the database on every request (`views.calendar_version`), so a
new, changed, filled-up or ended event shows on the next request, in every process.

Pages are kept in each process's memory (a small LRU with a time limit): nothing is pickled, and
a new deployment (new templates, new static file names) starts empty. Turned off with DEBUG, so
template edits show at once while developing."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

MAX_PAGES = 200
SECONDS = 600

_pages: OrderedDict[tuple, tuple[float, list[bytes], str]] = OrderedDict()
_lock = threading.Lock()


def forget_all() -> None:
    with _lock:
        _pages.clear()


def _key(request: HttpRequest, agency, version: str) -> tuple | None:
    if settings.DEBUG or request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    return (
        agency.pk,
        agency.name,
        agency.organisation_name,
        agency.street_address,
        agency.postcode,
        agency.city,
        agency.email,
        agency.phone,
        translation.get_language(),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        version,
    )


def anonymous_page(
    request: HttpRequest, agency, version: str, render: Callable[[str], HttpResponse]
) -> HttpResponse:
    """The page from memory, or `render(csrf_token)` kept for the next anonymous visitor."""
    key = _key(request, agency, version)
    if key is not None:
        now = time.monotonic()
        with _lock:
            kept = _pages.get(key)
            if kept is not None:
                if kept[0] > now:
                    _pages.move_to_end(key)
                else:
                    del _pages[key]
                    kept = None
        if kept is not None:
            _expires, parts, content_type = kept
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
        entry = (
            time.monotonic() + SECONDS,
            response.content.split(token.encode()),
            response["Content-Type"],
        )
        with _lock:
            _pages[key] = entry
            _pages.move_to_end(key)
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
    return response
