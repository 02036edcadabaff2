"""What the staff pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "projects/staff/form_page.html", context)
