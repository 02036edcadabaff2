"""The directory's section of the agency's front page: "my library" for a signed-in person who
works at a library of the region. Declared as `home_section` in `DirectoryConfig`."""

from __future__ import annotations

from typing import Any

from bokbro.core.home import HomeSection
from bokbro.core.types import AgencyRequest
from bokbro.directory.access import request_roles
from bokbro.directory.models import Library


def my_library(request: AgencyRequest) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    roles = request_roles(request)
    ids = roles.library_ids | roles.managed_library_ids
    if not ids:
        return None
    libraries = Library.objects.filter(pk__in=ids).select_related("municipality").order_by("name")
    return {"libraries": libraries, "managed": roles.managed_library_ids}


SECTION = HomeSection(
    key="directory", template="directory/_home_section.html", context=my_library, order=20
)
