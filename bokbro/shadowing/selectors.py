"""Reads the pages, the report source and the profile share: offers to list, a person's own
applications and those waiting for them, and the statistics per year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bokbro.directory.access import Roles
from bokbro.directory.models import Agency, Library, Person
from bokbro.shadowing.models import Application, Offer, Status


def open_offers(agency: Agency) -> list[Offer]:
    """The offers one can still apply for, as seen on the agency's site."""
    return list(Offer.objects.visible_on(agency).open_for_applications().for_list())


def hosted_offers(agency: Agency, roles: Roles) -> list[Offer]:
    """Offers this user hosts: all of the agency's for its team, the own library's for a manager."""
    q = Q(host_library__in=roles.managed_library_ids)
    if roles.is_staff:
        q |= Q(agency=agency)
    return list(Offer.objects.filter(q).for_list().order_by("-starts_on", "pk"))


def own_applications(person: Person | None) -> list[Application]:
    if person is None:
        return []
    return list(Application.objects.filter(person=person).for_list())


def waiting_for_consent(roles: Roles) -> list[Application]:
    if not roles.managed_library_ids:
        return []
    return list(
        Application.objects.filter(
            status=Status.MANAGER, library__in=roles.managed_library_ids
        ).for_list()
    )


def library_county_id(library: Library | None) -> int | None:
    if library is None:
        return None
    if library.municipality_id and library.municipality is not None:
        return library.municipality.county_id
    return library.county_id


@dataclass(frozen=True)
class YearFigures:
    year: int
    exchanges: int
    libraries: int
    counties: int


def exchanges(agency: Agency, year: int | None = None) -> list[Application]:
    """The accepted exchanges the agency sees (its guests and its own people), by first day."""
    rows = Application.objects.of_agency(agency).accepted().for_list()
    if year is not None:
        rows = rows.filter(starts_on__year=year)
    return list(rows.order_by("starts_on", "pk"))


def figures_of(rows: list[Application]) -> dict[str, int]:
    libraries: set[int] = set()
    counties: set[int] = set()
    for application in rows:
        libraries.add(application.library_id)
        if application.offer.host_library_id:
            libraries.add(application.offer.host_library_id)
        for library in (application.library, application.offer.host_library):
            county = library_county_id(library)
            if county:
                counties.add(county)
    return {"exchanges": len(rows), "libraries": len(libraries), "counties": len(counties)}


def statistics(agency: Agency) -> list[YearFigures]:
    """Exchanges, libraries and counties per year, the latest year first."""
    by_year: dict[int, list[Application]] = {}
    for application in exchanges(agency):
        assert application.starts_on is not None  # accepted: a CHECK holds it
        by_year.setdefault(application.starts_on.year, []).append(application)
    return [
        YearFigures(year=year, **figures_of(rows))
        for year, rows in sorted(by_year.items(), reverse=True)
    ]


def overview(agency: Agency) -> dict[str, Any]:
    today = timezone.localdate()
    rows = list(
        Application.objects.of_agency(agency)
        .exclude(status=Status.WITHDRAWN)
        .for_list()
        .order_by("-created_at", "pk")
    )
    return {
        "pending": [a for a in rows if a.status in {Status.MANAGER, Status.HOST}],
        "coming": [
            a for a in rows if a.status == Status.ACCEPTED and a.ends_on and a.ends_on >= today
        ],
        "done": [
            a for a in rows if a.status == Status.ACCEPTED and a.ends_on and a.ends_on < today
        ],
        "statistics": statistics(agency),
    }


def exchange_table(agency: Agency) -> tuple[list[str], list[list[Any]]]:
    """The overview as a spreadsheet for the agency's team: every application it sees (its own
    offers' guests and its own people at other hosts), withdrawn ones left out. The guest is
    named as on the overview; the motivation and the answers stay on the application's page."""
    rows = (
        Application.objects.of_agency(agency)
        .exclude(status=Status.WITHDRAWN)
        .for_list()
        .order_by("starts_on", "offer__starts_on", "pk")
    )
    header = [
        _("Offer"),
        _("Host"),
        _("Offered by"),
        _("Guest"),
        _("Guest's library"),
        _("Guest's agency"),
        _("Status"),
        _("First day"),
        _("Last day"),
        _("Travel support asked for"),
        _("Travel support granted"),
        _("Report from the guest"),
        _("Report from the host"),
    ]
    table = [
        [
            a.offer.title,
            a.offer.host_name,
            a.offer.agency.name,
            a.guest_name,
            a.library.name,
            a.applicant_agency.name,
            str(a.get_status_display()),  # type: ignore[attr-defined]
            a.starts_on or a.offer.starts_on,
            a.ends_on or a.offer.ends_on,
            a.travel_support_asked,
            a.travel_support_granted,
            a.guest_report,
            a.host_report,
        ]
        for a in rows
    ]
    return header, table
