"""Packing slips as PDF, rendered by WeasyPrint from an HTML template as the mobile library's
timetables and the certificates are: in the agency's look, fetching nothing. One page per
booking, in the order of the dispatch list (by courier route, then library and school): what is
packed (title, ISBN, copies, the title's sets by number), for whom (school, class, teacher),
where it goes (the delivery library and its courier route) and the loan's window, with lines to
count the copies and sign."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from bokbro.classsets import selectors
from bokbro.classsets.models import Booking, ClassSet, Settings
from bokbro.directory.models import Agency


def packing_slips_pdf(agency: Agency, bookings: Iterable[Booking], heading: str) -> bytes:
    from weasyprint import HTML

    sets = ClassSet.objects.select_related("home_library").order_by("pk")
    rows = Booking.objects.filter(pk__in=[b.pk for b in bookings]).for_list()
    rows = rows.prefetch_related(Prefetch("title__sets", queryset=sets))
    html = render_to_string(
        "classsets/packing_slip_pdf.html",
        {
            "agency": agency,
            "heading": heading,
            "bookings": [b for group in selectors.by_route(agency, rows) for b in group.bookings],
            "price": Settings.of(agency).replacement_price,
            "printed": timezone.localdate(),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
