from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from bokbro.core.access import request_roles


def bokbro(request: HttpRequest) -> dict[str, Any]:
    agency = getattr(request, "agency", None)
    return {
        "agency": agency,
        "roles": request_roles(request) if hasattr(request, "user") else None,
        "language_choices": settings.LANGUAGES,
        "current_language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
