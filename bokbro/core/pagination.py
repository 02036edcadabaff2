from __future__ import annotations

from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without `page`, for the pagination links to build on."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
