"""Access helpers: the only way a view reaches a protected object (STYLE.md §4).

Roles on an install:
- agency admin and consultant: a `TeamMember` of the request's agency linked to the user;
- library manager and library staff: a `Person` linked to the user with a `LibraryRole`;
- the public: everyone else, signed in or not.

Each helper answers 404 when the object does not exist and 403 when it exists but the user may
not do what they ask; anonymous users are sent to sign in by the `staff_required` decorator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from bokbro.core.types import Actor, AgencyRequest
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    Library,
    LibraryRole,
    LibraryRoleKind,
    Organisation,
    PendingColleague,
    Person,
    TeamMember,
)


@dataclass(frozen=True)
class Roles:
    agency_role: str | None = None
    managed_library_ids: frozenset[int] = field(default_factory=frozenset)
    library_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.agency_role is not None

    @property
    def is_admin(self) -> bool:
        return self.agency_role == AgencyRole.ADMIN

    @property
    def is_library_manager(self) -> bool:
        return bool(self.managed_library_ids)

    @property
    def label(self) -> str:
        if self.is_admin:
            return "admin"
        if self.is_staff:
            return "consultant"
        if self.managed_library_ids:
            return "library_manager"
        if self.library_ids:
            return "library_staff"
        return "public"


NO_ROLES = Roles()


def _role_rows(user_id: int, agency_id: int | None) -> list[tuple[str, str | None, int | None]]:
    """The user's place on the agency's team and their roles at libraries, in one statement
    (every signed-in page asks; two ORM queries cost about a millisecond more, measured in
    docs/performance.md, 2026-12-06). The same rows as the ORM's: the team membership that
    the team's order puts first (one per agency and e-mail address), and the roles of the
    person the user is (one at most)."""
    team = TeamMember._meta.db_table
    library_role = LibraryRole._meta.db_table
    person = Person._meta.db_table
    sql = (
        f"SELECT 'library', lr.role, lr.library_id FROM {library_role} lr"  # noqa: S608 - table names only
        f" INNER JOIN {person} p ON p.id = lr.person_id WHERE p.user_id = %s"
    )
    params: list[int] = [user_id]
    if agency_id is not None:
        sql = (
            f"SELECT 'team', (SELECT role FROM {team} WHERE agency_id = %s AND user_id = %s"  # noqa: S608
            " ORDER BY position, name LIMIT 1), NULL UNION ALL " + sql
        )
        params = [agency_id, user_id, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def roles_for(user: Actor | AnonymousUser | None, agency: Agency | None) -> Roles:
    """The user's roles on this agency's site, computed once per request and user."""
    if user is None or not user.is_authenticated:
        return NO_ROLES
    cache_attr = f"_bokbro_roles_{agency.pk if agency else 0}"
    cached = getattr(user, cache_attr, None)
    if cached is not None:
        return cached
    agency_role = None
    library_ids: set[int] = set()
    managed: set[int] = set()
    for kind, role, library_id in _role_rows(user.pk, agency.pk if agency else None):
        if kind == "team":
            agency_role = role
        elif kind == "library" and library_id is not None:
            library_ids.add(library_id)
            if role == LibraryRoleKind.MANAGER:
                managed.add(library_id)
    roles = Roles(
        agency_role=agency_role,
        managed_library_ids=frozenset(managed),
        library_ids=frozenset(library_ids),
    )
    setattr(user, cache_attr, roles)
    return roles


def request_roles(request: HttpRequest) -> Roles:
    return roles_for(request.user, getattr(request, "agency", None))


def require_agency_staff(request: HttpRequest, *, admin: bool = False) -> Roles:
    roles = request_roles(request)
    if not roles.is_staff or (admin and not roles.is_admin):
        raise PermissionDenied
    return roles


def staff_required(
    view: Callable[..., HttpResponseBase] | None = None, *, admin: bool = False
) -> Any:
    """Signed in, and a member of the request's agency team (an admin, when `admin=True`)."""

    def decorator(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require_agency_staff(request, admin=admin)
            return func(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


# --- Directory objects -------------------------------------------------------------------------


def agency_county_ids(agency: Agency | None) -> list[int]:
    if agency is None:
        return []
    cache_attr = "_county_ids"
    ids = getattr(agency, cache_attr, None)
    if ids is None:
        ids = list(agency.counties.values_list("id", flat=True))
        setattr(agency, cache_attr, ids)
    return ids


def library_in_region(library: Library, agency: Agency | None) -> bool:
    county = library.home_county
    return county is not None and county.pk in agency_county_ids(agency)


def library_for_user(request: AgencyRequest, pk: int, *, write: bool = False) -> Library:
    """Libraries are public; staff of an agency edit the libraries in the counties it serves."""
    library = get_object_or_404(Library.objects.for_list(), pk=pk)
    if write:
        roles = request_roles(request)
        if not roles.is_staff or not library_in_region(library, request.agency):
            raise PermissionDenied
    return library


def can_manage_library(request: HttpRequest, library: Library) -> bool:
    """The library's own manager, and the agency's staff in the library's region."""
    roles = request_roles(request)
    if roles.is_staff and library_in_region(library, getattr(request, "agency", None)):
        return True
    return library.pk in roles.managed_library_ids


def library_to_manage(request: HttpRequest, pk: int) -> Library:
    """A library whose details and people this user keeps: its manager, or the agency's staff
    in its region (404 for no such library, 403 for anyone else)."""
    library = get_object_or_404(Library.objects.for_list(), pk=pk)
    if not can_manage_library(request, library):
        raise PermissionDenied
    return library


def can_see_profile_of(request: HttpRequest, library: Library) -> bool:
    """The profile: the agency's staff in the region, and the library's own manager and staff
    (who never see the agency's internal parts, `profile.Viewer.internal`)."""
    return can_manage_library(request, library) or library.pk in request_roles(request).library_ids


def pending_colleague_for_user(request: HttpRequest, library: Library, pk: int) -> PendingColleague:
    """A request to be listed at `library` (reached through `library_to_manage`)."""
    return get_object_or_404(
        PendingColleague.objects.select_related("library"), pk=pk, library=library
    )


def colleague_for_user(request: HttpRequest, library: Library, pk: int) -> Person:
    """A person with a role at `library` (reached through `library_to_manage`)."""
    return get_object_or_404(
        Person.objects.filter(library_roles__library=library).distinct(), pk=pk
    )


def can_see_people_of(request: AgencyRequest, library: Library) -> bool:
    """Agency staff in the library's region, and the library's own manager."""
    roles = request_roles(request)
    if roles.is_staff and library_in_region(library, request.agency):
        return True
    return library.pk in roles.managed_library_ids


def people_visible_to(request: HttpRequest) -> QuerySet[Person]:
    """People whose personal data this user needs: agency staff see the people of their region
    (and the records their agency created); a library manager sees their own library's people."""
    roles = request_roles(request)
    agency = getattr(request, "agency", None)
    q = Q(pk__in=[])
    if roles.is_staff and agency is not None:
        counties = agency_county_ids(agency)
        q = (
            Q(library_roles__library__municipality__county__in=counties)
            | Q(library_roles__library__county__in=counties)
            | Q(organisation__municipality__county__in=counties)
            | Q(created_by_agency=agency)
        )
    elif roles.managed_library_ids:
        q = Q(library_roles__library__in=roles.managed_library_ids)
    if request.user.is_authenticated:
        q |= Q(user=request.user)
    return Person.objects.filter(q).distinct()


def person_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, delete: bool = False
) -> Person:
    """People the user may see; agency staff edit them. A deletion removes the person for every
    agency, so it needs all of the person's roles to be at libraries in this agency's region."""
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    if not people_visible_to(request).filter(pk=pk).exists():
        raise PermissionDenied
    if (write or delete) and not request_roles(request).is_staff:
        raise PermissionDenied
    if delete:
        county_ids = agency_county_ids(getattr(request, "agency", None))
        elsewhere = person.library_roles.exclude(
            Q(library__municipality__county__in=county_ids) | Q(library__county__in=county_ids)
        )
        if elsewhere.exists():
            raise PermissionDenied
    return person


def organisation_in_region(organisation: Organisation, agency: Agency | None) -> bool:
    """An organisation in a municipality belongs to that county's agencies; one without a place
    (a national body, a partner) is shared by all agencies."""
    if organisation.municipality is None:
        return agency is not None
    return organisation.municipality.county_id in agency_county_ids(agency)


def can_edit_organisation(request: HttpRequest, organisation: Organisation) -> bool:
    agency = getattr(request, "agency", None)
    return request_roles(request).is_staff and organisation_in_region(organisation, agency)


def organisation_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Organisation:
    """Organisations are public; agency staff edit those in the counties the agency serves."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality", "municipality__county"), pk=pk
    )
    if write and not can_edit_organisation(request, organisation):
        raise PermissionDenied
    return organisation


def library_role_for_user(request: HttpRequest, person: Person, pk: int) -> LibraryRole:
    """A role of `person` that this agency may remove: one at a library in its region."""
    library_role = get_object_or_404(
        LibraryRole.objects.select_related("library__municipality__county", "library__county"),
        pk=pk,
        person=person,
    )
    agency = getattr(request, "agency", None)
    if not request_roles(request).is_staff or not library_in_region(library_role.library, agency):
        raise PermissionDenied
    return library_role


def team_member_for_user(request: AgencyRequest, pk: int) -> TeamMember:
    """A member of the request's agency's team (call from a `staff_required(admin=True)` view);
    another agency's members are 404."""
    return get_object_or_404(TeamMember, pk=pk, agency=request.agency)
