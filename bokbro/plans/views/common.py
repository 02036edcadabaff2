"""What the plans pages share: the generic form page, this year, and serving a stored file."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bokbro.core.types import StaffRequest


def form_page(request: StaffRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "plans/form_page.html", context)


def this_year() -> int:
    return timezone.localdate().year


def file_response(file: Any, filename_base: str, *, private: bool) -> Any:
    """The file, inline, with its type guessed from the stored name (a FileResponse)."""
    if not file:
        raise Http404
    try:
        handle = default_storage.open(file.name or "", "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    ext = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else "pdf"
    filename = f"{filename_base}.{ext}"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=False, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=600"
    return response
