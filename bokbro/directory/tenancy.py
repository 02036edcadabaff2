"""The request's agency comes from its host name, or is the default agency of the install."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest

from bokbro.directory.models import Agency

CACHE_KEY = "bokbro:agency-hosts"


def host_map() -> dict[str, int]:
    mapping = cache.get(CACHE_KEY)
    if mapping is None:
        mapping = {}
        default_id = None
        for agency in Agency.objects.only("id", "hosts", "is_default"):
            for host in agency.host_list:
                mapping[host] = agency.pk
            if agency.is_default:
                default_id = agency.pk
        if default_id is None:
            ids = list(Agency.objects.values_list("id", flat=True)[:2])
            default_id = ids[0] if len(ids) == 1 else None
        mapping["*"] = default_id
        cache.set(CACHE_KEY, mapping, 60)
    return mapping


def forget_hosts() -> None:
    """Call after changing an agency (its host names or details)."""
    cache.delete(CACHE_KEY)
    cache.delete_many([f"{CACHE_KEY}:{pk}" for pk in Agency.objects.values_list("pk", flat=True)])


def agency_for_request(request: HttpRequest) -> Agency | None:
    """The agency for the request's host, cached for a minute (every page needs it)."""
    host = request.get_host().split(":")[0].lower()
    mapping = host_map()
    agency_id = mapping.get(host, mapping.get("*"))
    if agency_id is None:
        return None
    key = f"{CACHE_KEY}:{agency_id}"
    agency = cache.get(key)
    if agency is None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is not None:
            cache.set(key, agency, 60)
    return agency


def site_agency(request: HttpRequest) -> Agency:
    """The agency whose site this is; on a host with no agency the page does not exist (404)."""
    agency = getattr(request, "agency", None)
    if agency is None:
        raise Http404
    return agency
