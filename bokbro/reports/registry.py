"""The sources of the follow-up and the annual report: every module's `report_sources`.

A module feeds the report by declaring `report_sources = ("plan_source.SOURCE",)` on its
`AppConfig` (bokbro.core.modules), an `ActivitySource` of bokbro.core.sources; it never imports
this app, so statistics, class sets or publications join the report without touching plans or
reports.
"""

from __future__ import annotations

from bokbro.core.modules import resolved
from bokbro.core.sources import ActivitySource


def registered() -> list[ActivitySource]:
    """Every module's sources, in their order."""
    sources = [source for _module, source in resolved("report_sources")]
    return sorted(sources, key=lambda source: (source.order, source.key))
