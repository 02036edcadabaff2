"""The annual report as a PDF, rendered by WeasyPrint from an HTML template, the way events make
certificates and attendance lists: the template carries its own styles and fonts (DejaVu Sans)
and fetches nothing; the charts are inline SVG."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from bokbro.reports.report import Report


def report_html(report: Report) -> str:
    with translation.override(report.agency.language):
        return render_to_string("reports/report_pdf.html", {"report": report})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def report_pdf(report: Report) -> bytes:
    return html_to_pdf(report_html(report))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Not personal data, but not public either: the report is the agency's until it publishes it.
    response["Cache-Control"] = "private, no-store"
    return response
