"""Reads the archive, the feed and the report share."""

from __future__ import annotations

from typing import Any

from bokbro.directory.models import Agency
from bokbro.publications.models import (
    Publication,
    PublicationQuerySet,
    ScanItem,
    ScanItemQuerySet,
)


def archive(agency: Agency, filters: dict[str, Any]) -> PublicationQuerySet:
    """The published publications as the filters ask (the page and the feed share it)."""
    publications = Publication.objects.of_agency(agency).published().for_list()
    publications = publications.search(filters.get("q") or "")
    for field in ("kind", "language", "year"):
        if filters.get(field):
            publications = publications.filter(**{field: filters[field]})
    if filters.get("goal"):
        publications = publications.filter(plan_goals=filters["goal"])
    return publications.order_by("-year", "title", "pk")


def years(agency: Agency) -> list[int]:
    return list(
        Publication.objects.of_agency(agency)
        .published()
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def scan_items(agency: Agency, filters: dict[str, Any]) -> ScanItemQuerySet:
    """The horizon-scanning items as the filters ask (the page and the feed share it)."""
    items = ScanItem.objects.of_agency(agency).for_list()
    if filters.get("tag"):
        items = items.filter(tags=filters["tag"])
    if filters.get("goal"):
        items = items.filter(plan_goals=filters["goal"])
    return items.order_by("-published_on", "-pk")
