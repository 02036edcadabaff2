from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from bokbro.directory.tenancy import agency_for_request


class AgencyMiddleware:
    """Sets `request.agency`: the agency whose site the host name is (directory/tenancy.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.agency = agency_for_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
