from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def bokbro(request: HttpRequest) -> dict[str, Any]:
    return {
        "language_choices": settings.LANGUAGES,
        "current_language": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    }
