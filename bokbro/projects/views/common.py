"""What the staff pages share."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from bokbro.core.types import StaffRequest


def form_page(request: StaffRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "projects/staff/form_page.html", context)
