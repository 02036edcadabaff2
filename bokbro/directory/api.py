from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from bokbro.core.pagination import LimitOffset
from bokbro.directory.models import Country, County, Library, LibraryKind, Municipality
from bokbro.directory.selectors import libraries_found

router = Router(tags=["directory"])


class CountyOut(Schema):
    country: str
    code: str
    name: str


class MunicipalityOut(Schema):
    country: str
    code: str
    name: str
    county_code: str = Field(..., alias="county.code")
    population: int | None


class LibraryOut(Schema):
    id: int
    name: str
    kind: str
    sigel: str
    municipality_code: str | None = Field(None, alias="municipality.code")
    street_address: str
    postcode: str
    city: str
    website: str


class MunicipalityFilter(Schema):
    country: Country | None = None
    county: str | None = Field(None, pattern=r"^\d{2}$")


class LibraryFilter(Schema):
    # No NUL: PostgreSQL cannot compare text with it, and no name holds one.
    q: str | None = Field(None, max_length=100, pattern=r"^[^\x00]*$")
    kind: LibraryKind | None = None
    country: Country | None = None
    county: str | None = Field(None, pattern=r"^\d{2}$")


@router.get("/counties", response=list[CountyOut])
def counties(request, country: Country | None = None):
    qs = County.objects.all()
    return qs.filter(country=country) if country else qs


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(LimitOffset)
def municipalities(request, filters: Query[MunicipalityFilter]):
    qs = Municipality.objects.select_related("county").order_by("country", "code")
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.county:
        qs = qs.filter(county__code=filters.county)
    return qs


@router.get("/libraries", response=list[LibraryOut])
@paginate(LimitOffset)
def libraries(request, filters: Query[LibraryFilter]):
    return libraries_found(
        q=filters.q or "",
        kind=filters.kind or "",
        country=filters.country or "",
        county_code=filters.county or "",
    )


@router.get("/libraries/{library_id}", response=LibraryOut)
def library(request, library_id: int):
    return get_object_or_404(Library.objects.for_list(), pk=library_id)
