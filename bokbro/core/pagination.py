from __future__ import annotations

from math import inf

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without `page`, for the pagination links to build on."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


MAX_OFFSET = 10_000_000


class LimitOffset(LimitOffsetPagination):
    """Ninja's limit/offset pages with a bounded offset. An unbounded one let `?offset=2**63`
    through to the database, where SQLite refuses it (found by the API's hypothesis test): now
    it is a 422 with the reason, like any other bad parameter."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE,
            ge=1,
            le=ninja_settings.PAGINATION_MAX_LIMIT
            if inf != ninja_settings.PAGINATION_MAX_LIMIT
            else None,
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
