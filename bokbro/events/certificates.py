"""PDFs of events, rendered by WeasyPrint from HTML templates: a participant's certificate
(in the participant's language) and the staff's printable attendance list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from bokbro.events.models import Certificate, Event, Registration, RegistrationStatus


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # No base URL: the templates carry their own styles and fetch nothing.
    return HTML(string=html).write_pdf()


def certificate_content(certificate: Certificate) -> dict[str, Any]:
    """What a course certificate states, as course certificates do: each session with its
    date, title and whether the person was there, the hours of the sessions attended, and the
    course's topics."""
    registration = certificate.registration
    event = registration.event
    sessions = list(event.sessions.all())
    present = set(
        registration.attendances.filter(present=True).values_list("session_id", flat=True)
    )
    attended = [session for session in sessions if session.pk in present]
    seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in attended)
    hours = (Decimal(seconds) / 3600).quantize(Decimal("0.1")).normalize()
    return {
        "certificate": certificate,
        "registration": registration,
        "event": event,
        "agency": event.agency,
        "sessions": sessions,
        "rows": [(session, session.pk in present) for session in sessions],
        "hours": hours if hours != hours.to_integral_value() else hours.quantize(Decimal("1")),
        "topics": [str(topic) for topic in event.topics.all()],
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    registration = certificate.registration
    with translation.override(registration.language or registration.event.agency.language):
        html = render_to_string("events/certificate.html", certificate_content(certificate))
    return html_to_pdf(html)


def attendance_list_pdf(event: Event) -> bytes:
    """A sign-in sheet: confirmed participants, their library, a column per session."""
    registrations = (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED, anonymised=False)
        .select_related("library")
        .order_by("name", "pk")
    )
    html = render_to_string(
        "events/staff/attendance_sheet.html",
        {
            "event": event,
            "agency": event.agency,
            "sessions": list(event.sessions.all()),
            "registrations": list(registrations),
        },
    )
    return html_to_pdf(html)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: not to be kept by a browser's or a proxy's cache.
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_filename(registration: Registration) -> str:
    return f"certificate-{registration.event_id}-{registration.certificate.number}.pdf"
