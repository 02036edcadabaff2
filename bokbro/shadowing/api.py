"""Job shadowing's part of the JSON API: the offers one can still apply for on the site's agency
(its own and other agencies' offers open to its libraries), with what the offer's public page
shows. Applications and agreements hold personal data and stay on the signed-in pages."""

from datetime import date
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from bokbro.core.pagination import LimitOffset
from bokbro.directory.tenancy import site_agency
from bokbro.shadowing.models import Offer

router = Router(tags=["shadowing"])


class OfferOut(Schema):
    id: int
    title: str
    agency: str
    host: str
    host_library_id: int | None
    topics: str
    description: str
    starts_on: date
    ends_on: date
    apply_by: date
    places: int
    places_left: int
    language: str
    contact_name: str
    contact_email: str
    open_to_other_agencies: bool
    url: str

    @staticmethod
    def resolve_agency(obj: Offer) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_host(obj: Offer) -> str:
        return obj.host_name

    @staticmethod
    def resolve_url(obj: Offer) -> str:
        return obj.get_absolute_url()


class OfferFilter(Schema):
    language: Literal["no", "sv", "da", "scandinavian", "en"] | None = None


def _visible(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Offer.objects.visible_on(site_agency(request)).for_list()


@router.get("/", response=list[OfferOut], url_name="shadowing_offers")
@paginate(LimitOffset)
def offers(request: HttpRequest, filters: Query[OfferFilter]):  # type: ignore[no-untyped-def]
    """Offers one can still apply for (before the last day to apply, with places left), the
    first to begin first."""
    qs = _visible(request).open_for_applications().order_by("starts_on", "pk")
    if filters.language:
        qs = qs.filter(language=filters.language)
    return qs


@router.get("/{offer_id}", response=OfferOut, url_name="shadowing_offer")
def offer(request: HttpRequest, offer_id: int):  # type: ignore[no-untyped-def]
    """One offer, as on its public page (also once it is full or past its last day to apply);
    404 for another agency's offer that is not open to this site's libraries."""
    found = _visible(request).filter(pk=offer_id).first()
    if found is None:
        raise Http404
    return found
