"""Parts of a page kept rendered in the cache, as the bytes sent, and put into the page after it
is rendered.

    return page_with_parts(
        request,
        "app/page.html",
        {"title": …},
        parts={"content": Part(f"app.page.{pk}.{version}.{language}", "app/_content.html")},
        part_context=lambda: {"figures": figures()},  # only when a part is missing
    )

The page's template puts `{{ parts.content }}` where the part goes (a comment with a token
made for the request, which the part's bytes replace). The part's key must hold everything
the part depends on (a version of the data, the language, …); the release is added here, so a
deployment never serves a part of the one before it.

Why bytes, and not Django's `{% cache %}` tag: for the competence results page (a kept table
of 71 kB, Norwegian text with a few characters beyond Latin-1) the tag's part cost 2.7 million
instructions of the page's 12.5 million (callgrind, docs/performance.md, 2026-12-07): the text
was unpickled (a UTF-8 decode), joined into the page as two-byte characters level by level,
and encoded back to UTF-8. Kept as bytes, it is copied into the page once: 0.1 million.

Parts go through Django's cache framework (with `REDIS_URL` every web process shares them); with
DEBUG nothing is kept, so template edits show at once while developing.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

SECONDS = 3600


@functools.cache
def release() -> str:
    """A digest of every template and of the static files' manifest, read once per process."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("**/templates/**/*.html")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Part:
    key: str  # everything the part depends on
    template: str


def page_with_parts(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    parts: dict[str, Part],
    part_context: Callable[[], dict[str, Any]],
    timeout: int = SECONDS,
) -> HttpResponse:
    """The page rendered with `context`, each `{{ parts.<name> }}` replaced by that part: kept
    in the cache under its key, or else rendered from its template with `context` and
    `part_context()` (called once for all the missing parts) and kept."""
    keys = {name: f"kept.{release()}.{part.key}" for name, part in parts.items()}
    found: dict[str, bytes] = {} if settings.DEBUG else cache.get_many(list(keys.values()))
    missing = [name for name in parts if keys[name] not in found]
    if missing:
        full = {**context, **part_context()}
        made = {
            keys[name]: render_to_string(parts[name].template, full, request).encode(
                settings.DEFAULT_CHARSET
            )
            for name in missing
        }
        if not settings.DEBUG:
            cache.set_many(made, timeout)
        found.update(made)
    token = secrets.token_hex(8)
    markers = {name: f"<!--part {token} {name}-->" for name in parts}
    response = render(
        request,
        template_name,
        {**context, "parts": {name: mark_safe(marker) for name, marker in markers.items()}},
    )
    body = response.content
    for name, marker in markers.items():
        body = body.replace(marker.encode(), found[keys[name]], 1)
    response.content = body
    return response
