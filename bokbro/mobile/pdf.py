"""Printable timetables per route and per municipality as PDF, rendered by WeasyPrint from an
HTML template the way the annual report and the certificates are: in the agency's look (its
logo and accent colour), with its own styles and fonts, fetching nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from bokbro.directory.models import Agency


def timetable_pdf(agency: Agency, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "mobile/timetable_pdf.html",
        {"agency": agency, "printed": timezone.localdate(), **context},
    )
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
