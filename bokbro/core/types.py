"""The types every module's services and views share.

`Actor` is the signed-in person acting (a `bokbro.accounts.models.User`); services that can also
run without one (periodic work, imports from the command line) take `Actor | None`.
`AgencyRequest` is a request that passed `directory.middleware.AgencyMiddleware`: it carries the
agency of the host it came in on, or None on a host no agency claims (and `htmx`, from
django-htmx's middleware). `StaffRequest` is one that passed `directory.access.staff_required`:
its user is signed in and on the team of its agency, which is never None.

The imports below are for the type checker only (`TYPE_CHECKING` is false at run time), so core
still imports no domain app when it runs: core/tests/test_imports.py skips such blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from bokbro.accounts.models import User
    from bokbro.directory.models import Agency

Actor: TypeAlias = "User"


class AgencyRequest(HttpRequest):
    """A request on an agency's host; the user may be anonymous. On a host no agency claims
    (and no default agency) `agency` is None: public pages still answer there."""

    agency: Agency | None
    htmx: HtmxDetails
    user: User | AnonymousUser  # type: ignore[assignment]


class StaffRequest(AgencyRequest):
    """A request from a member of the agency's team: a view behind `staff_required`."""

    agency: Agency  # type: ignore[assignment]  # staff_required has checked it
    user: User  # type: ignore[assignment]
