"""The home page's extension point: each module may show a section on the agency's front page.

Core does not import the modules. A module declares `home_section = "home.SECTION"` in its
contract (bokbro.core.modules), like the library profile's sections:

    from bokbro.core.home import HomeSection

    def upcoming(request):
        return {"events": ...}  # None (or {}) hides the section

    SECTION = HomeSection(
        key="events",
        template="events/_home_section.html",
        context=upcoming,
        order=10,
    )

`context` gets the request (an `AgencyRequest` whose agency is set; the user may be anonymous)
and returns what the template needs, or None to show nothing. The template gets that dict plus
`section`, and writes its own heading (an `h2`). Sections are shown in `order`, then by key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from bokbro.core.modules import resolved
from bokbro.core.types import AgencyRequest

HomeContext = Callable[[AgencyRequest], "dict[str, Any] | None"]


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    context: HomeContext
    order: int = 50


def shown_sections(request: AgencyRequest) -> list[SafeString]:
    """The declared sections that have something to show to this visitor, in order, rendered."""
    sections = sorted(
        (section for _module, section in resolved("home_section")),
        key=lambda section: (section.order, section.key),
    )
    shown = []
    for section in sections:
        context = section.context(request)
        if context:
            shown.append(
                render_to_string(section.template, {**context, "section": section}, request)
            )
    return shown
