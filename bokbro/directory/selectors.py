"""Reads of the national directory that its pages and its API share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from bokbro.directory.models import (
    Agency,
    Country,
    County,
    Library,
    LibraryQuerySet,
    Municipality,
)


def county_groups(agency: Agency | None) -> list[tuple[Any, list[County]]]:
    """The counties with their municipality counts and population, by country, the agency's own
    country first."""
    counties = County.objects.with_counts().order_by("country", "name")
    groups = [
        (label, [c for c in counties if c.country == code]) for code, label in Country.choices
    ]
    if agency is not None and agency.country == Country.SWEDEN:
        groups.reverse()
    return groups


def directory_search(q: str) -> dict[str, Any]:
    """The directory's front-page search: the first municipalities and libraries matching."""
    return {
        "municipalities": Municipality.objects.search(q).select_related("county")[:20],
        "libraries": Library.objects.search(q).for_list()[:20],
    }


@dataclass
class CountyMunicipalities:
    municipalities: Sequence[Municipality]
    population: int


def county_municipalities(county: County) -> CountyMunicipalities:
    """The county's municipalities with their library counts, and its population."""
    municipalities = list(
        county.municipalities.annotate(library_count=Count("libraries")).order_by("name")
    )
    return CountyMunicipalities(
        municipalities=municipalities,
        population=sum(m.population or 0 for m in municipalities),
    )


def libraries_found(
    *,
    q: str = "",
    kind: str = "",
    county: County | None = None,
    country: str = "",
    county_code: str = "",
) -> LibraryQuerySet:
    """The active libraries the directory's search finds (the library list and the API), by
    name. A county's regional library belongs to the county, not to a municipality, so a place
    matches either way."""
    libraries = Library.objects.for_list().filter(is_active=True).search(q)
    if kind:
        libraries = libraries.filter(kind=kind)
    if county is not None:
        libraries = libraries.in_county(county)
    if country:
        libraries = libraries.filter(Q(municipality__country=country) | Q(county__country=country))
    if county_code:
        libraries = libraries.filter(
            Q(municipality__county__code=county_code) | Q(county__code=county_code)
        )
    return libraries.order_by("name")
