from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bokbro.directory.access import request_roles


def agency(request: HttpRequest) -> dict[str, Any]:
    """The site's agency and the user's roles on it, for the layout's menus."""
    return {
        "agency": getattr(request, "agency", None),
        "roles": request_roles(request) if hasattr(request, "user") else None,
    }
