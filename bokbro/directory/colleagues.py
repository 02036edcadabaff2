"""A library's manager in charge of their library (issue 12): the library's details (opening
hours, address, contact, web page) and its people — a colleague added, one who left removed, and
the people who named the library when registering without an account, who wait until the
manager or the agency confirms them. The agency's staff in the library's region may do the same.

The manager acts on one agency's site, but every agency serving the library's county sees the
change in its audit log (`_library_log`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.models import (
    Agency,
    Library,
    LibraryRole,
    LibraryRoleKind,
    PendingColleague,
    Person,
)
from bokbro.directory.services import _changed, person_link_user


@dataclass(frozen=True, kw_only=True)
class LibraryDetailsData(Input):
    """What a library's manager keeps up to date about their own library."""

    opening_hours: str = ""
    street_address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


def agencies_serving(library: Library) -> list[Agency]:
    county = library.home_county
    if county is None:
        return []
    return list(Agency.objects.filter(counties=county).order_by("pk"))


def _library_log(
    *, action: str, actor: Actor, library: Library, data: dict[str, Any] | None = None
) -> None:
    serving: list[Agency | None] = [*agencies_serving(library)] or [None]
    for agency in serving:
        audit_log(action=action, actor=actor, agency=agency, target=library, data=data)


@transaction.atomic
def library_details_update(*, actor: Actor, library: Library, data: LibraryDetailsData) -> Library:
    """A manager's (or the agency's) change to the library's opening hours, address, contact
    and web page."""
    library = Library.objects.select_for_update().get(pk=library.pk)
    changes = _changed(library, data)
    if changes:
        library.is_derived = False
        library.full_clean()
        library.save()
        _library_log(
            action="directory.library.updated",
            actor=actor,
            library=library,
            data={"changes": changes},
        )
    return library


def _person_for_email(name: str, email: str) -> Person:
    """The directory's person with this address, or a new one: a colleague already known at
    another library keeps one record."""
    person = Person.objects.filter(email__iexact=email).order_by("pk").first()
    if person is None:
        person = Person(name=name, email=email.strip().lower())
        person.full_clean()
        person.save()
        person_link_user(person=person)
    return person


@transaction.atomic
def colleague_add(
    *, actor: Actor, library: Library, name: str, email: str, role: str = LibraryRoleKind.STAFF
) -> LibraryRole:
    """Put a colleague on the library's people with a role (the manager's "Add a colleague").
    A pending request from the same address is settled by it."""
    if role not in LibraryRoleKind.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    person = _person_for_email(name.strip(), email.strip())
    library_role, created = LibraryRole.objects.get_or_create(
        person=person, library=library, role=role
    )
    PendingColleague.objects.filter(library=library, email__iexact=email.strip()).delete()
    if created:
        _library_log(
            action="directory.colleague.added",
            actor=actor,
            library=library,
            data={"person_id": person.pk, "role": role},
        )
    return library_role


@transaction.atomic
def colleague_remove(*, actor: Actor, library: Library, person: Person) -> None:
    """Take a colleague who left off the library's people (every role they had there). The
    person stays in the directory for their other libraries and their history."""
    roles = list(LibraryRole.objects.filter(library=library, person=person))
    if not roles:
        return
    own = (person.user_id is not None and person.user_id == actor.pk) or (
        bool(person.email) and person.email.lower() == (actor.email or "").lower()
    )
    if own:
        raise ValidationError(_("You cannot remove yourself. Ask the agency to do it."))
    LibraryRole.objects.filter(pk__in=[r.pk for r in roles]).delete()
    _library_log(
        action="directory.colleague.removed",
        actor=actor,
        library=library,
        data={"person_id": person.pk, "roles": sorted(r.role for r in roles)},
    )


def pending_colleague_record(*, library: Library, name: str, email: str) -> None:
    """Someone registering without an account named `library`: they wait on the manager's
    page until confirmed, unless the library already lists them. Idempotent."""
    email = email.strip()
    if not email or not name.strip():
        return
    if LibraryRole.objects.filter(library=library, person__email__iexact=email).exists():
        return
    if PendingColleague.objects.filter(library=library, email__iexact=email).exists():
        return
    try:
        with transaction.atomic():
            PendingColleague.objects.create(
                library=library, name=name.strip()[:200], email=email.lower()
            )
    except IntegrityError:
        pass  # the same person registering twice at once: one request is enough


@transaction.atomic
def pending_colleague_confirm(*, actor: Actor, pending: PendingColleague) -> LibraryRole:
    """The manager (or the agency) confirms: the person becomes the library's staff."""
    return colleague_add(
        actor=actor,
        library=pending.library,
        name=pending.name,
        email=pending.email,
        role=LibraryRoleKind.STAFF,
    )


@transaction.atomic
def pending_colleague_dismiss(*, actor: Actor, pending: PendingColleague) -> None:
    """Not one of ours: the request goes, and the person is not listed."""
    _library_log(
        action="directory.colleague.dismissed",
        actor=actor,
        library=pending.library,
        data={"pending_id": pending.pk},
    )
    pending.delete()


def pending_colleagues_export(emails: list[str]) -> list[dict[str, Any]]:
    rows = PendingColleague.objects.filter(email__in=[e.lower() for e in emails])
    return [
        {
            "library": row.library.name,
            "name": row.name,
            "email": row.email,
            "asked_on": row.created_at.isoformat(),
        }
        for row in rows.select_related("library")
    ]


def pending_colleagues_erase(emails: list[str]) -> int:
    deleted, _counts = PendingColleague.objects.filter(
        email__in=[e.lower() for e in emails]
    ).delete()
    return deleted
