"""Every write to the directory goes through these functions (STYLE.md §2)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bokbro.core.audit import audit_log
from bokbro.core.inputs import Input
from bokbro.core.types import Actor
from bokbro.directory.models import (
    Agency,
    AgencyRole,
    Library,
    LibraryKind,
    LibraryRole,
    Municipality,
    MunicipalityChange,
    Organisation,
    OrganisationKind,
    Person,
    TeamMember,
)
from bokbro.directory.tenancy import forget_hosts


@dataclass(frozen=True, kw_only=True)
class LibraryData(Input):
    name: str
    kind: str = LibraryKind.MAIN
    municipality: Municipality | None = None
    sigel: str = ""
    street_address: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    opening_hours: str = ""
    is_active: bool = True


@dataclass(frozen=True, kw_only=True)
class OrganisationData(Input):
    name: str
    kind: str = OrganisationKind.OTHER
    municipality: Municipality | None = None
    org_number: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass(frozen=True, kw_only=True)
class PersonData(Input):
    name: str
    email: str = ""
    phone: str = ""
    title: str = ""
    organisation: Organisation | None = None


@dataclass(frozen=True, kw_only=True)
class AgencyData(Input):
    """What the agency's administrators change (the form) and operators (`hosts`)."""

    name: str
    organisation_name: str = ""
    intro: str = ""
    language: str
    currency: str
    email: str = ""
    phone: str = ""
    street_address: str = ""
    postcode: str = ""
    city: str = ""
    website: str = ""
    hosts: str = ""
    welcome: dict[str, str] = field(default_factory=dict)  # language -> Markdown
    display_name: str = ""
    logo: Any = ""  # a stored FieldFile, a new upload, or "" for none
    accent_colour: str = ""
    footer_contact: str = ""
    social_links: list[dict[str, str]] = field(default_factory=list)


LOOK_FIELDS = {"display_name", "logo", "accent_colour", "footer_contact", "social_links"}


@dataclass(frozen=True, kw_only=True)
class TeamMemberData(Input):
    name: str
    title: str = ""
    area: str = ""
    email: str
    phone: str = ""
    role: str = AgencyRole.CONSULTANT
    is_listed: bool = True
    position: int = 0


def _changed(instance: Any, data: Input) -> dict[str, list[Any]]:
    changes = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(instance, name, value)
    return changes


@transaction.atomic
def library_create(*, actor: Actor, agency: Agency | None, data: LibraryData) -> Library:
    library = Library(**dict(data.items()))
    library.full_clean()
    library.save()
    audit_log(action="directory.library.created", actor=actor, agency=agency, target=library)
    return library


@transaction.atomic
def library_update(
    *, actor: Actor, agency: Agency | None, library: Library, data: LibraryData
) -> Library:
    changes = _changed(library, data)
    if changes:
        # A record a person has corrected is no longer the derived placeholder.
        library.is_derived = False
        library.full_clean()
        library.save()
        audit_log(
            action="directory.library.updated",
            actor=actor,
            agency=agency,
            target=library,
            data={"changes": changes},
        )
    return library


@transaction.atomic
def organisation_create(
    *, actor: Actor, agency: Agency | None, data: OrganisationData
) -> Organisation:
    organisation = Organisation(**dict(data.items()))
    organisation.full_clean()
    organisation.save()
    audit_log(
        action="directory.organisation.created", actor=actor, agency=agency, target=organisation
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: Actor, agency: Agency | None, organisation: Organisation, data: OrganisationData
) -> Organisation:
    changes = _changed(organisation, data)
    if changes:
        organisation.full_clean()
        organisation.save()
        audit_log(
            action="directory.organisation.updated",
            actor=actor,
            agency=agency,
            target=organisation,
            data={"changes": changes},
        )
    return organisation


@transaction.atomic
def person_create(*, actor: Actor, agency: Agency | None, data: PersonData) -> Person:
    person = Person(created_by_agency=agency, **dict(data.items()))
    person.full_clean()
    person.save()
    person_link_user(person=person)
    audit_log(action="directory.person.created", actor=actor, agency=agency, target=person)
    return person


@transaction.atomic
def person_update(
    *, actor: Actor, agency: Agency | None, person: Person, data: PersonData
) -> Person:
    changes = _changed(person, data)
    if changes:
        person.full_clean()
        person.save()
        # Personal data stays out of the log: record which fields changed, not their values.
        audit_log(
            action="directory.person.updated",
            actor=actor,
            agency=agency,
            target=person,
            data={"fields": sorted(changes)},
        )
    return person


@transaction.atomic
def person_delete(*, actor: Actor, agency: Agency | None, person: Person) -> None:
    audit_log(
        action="directory.person.deleted",
        actor=actor,
        agency=agency,
        data={"person_id": person.pk},
    )
    person.delete()


def person_link_user(*, person: Person) -> None:
    """Connect a directory person to the user account with the same e-mail address."""
    if person.user_id or not person.email:
        return
    user = get_user_model().objects.filter(email__iexact=person.email, person__isnull=True).first()
    if user is not None:
        person.user = user
        person.save(update_fields=["user", "updated_at"])


@transaction.atomic
def library_role_add(
    *, actor: Actor, agency: Agency | None, person: Person, library: Library, role: str
) -> LibraryRole:
    library_role, created = LibraryRole.objects.get_or_create(
        person=person, library=library, role=role
    )
    if created:
        audit_log(
            action="directory.library_role.added",
            actor=actor,
            agency=agency,
            target=library,
            data={"person_id": person.pk, "role": role},
        )
    return library_role


@transaction.atomic
def library_role_remove(*, actor: Actor, agency: Agency | None, library_role: LibraryRole) -> None:
    audit_log(
        action="directory.library_role.removed",
        actor=actor,
        agency=agency,
        target=library_role.library,
        data={"person_id": library_role.person_id, "role": library_role.role},
    )
    library_role.delete()


@transaction.atomic
def agency_update(*, actor: Actor, agency: Agency, data: AgencyData) -> Agency:
    changes = _changed(agency, data)
    if changes:
        if LOOK_FIELDS & set(changes):
            # The style sheet's and the logo's addresses change, so no browser keeps the old.
            agency.look_version += 1
        agency.full_clean()
        agency.save()
        forget_hosts()
        audit_log(
            action="directory.agency.updated",
            actor=actor,
            agency=agency,
            target=agency,
            data={"fields": sorted(changes)},
        )
    return agency


def user_link_directory(*, user: Actor) -> None:
    """Link the person and team records that carry this (verified) e-mail to the user.

    Called on every sign-in: the user has just proven they own the address."""
    if not user.email:
        return
    if not Person.objects.filter(user=user).exists():
        person = (
            Person.objects.filter(email__iexact=user.email, user__isnull=True)
            .order_by("pk")
            .first()
        )
        if person is not None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
    TeamMember.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)


def municipality_for_code(code: str, *, country: str = "NO") -> Municipality | None:
    """Today's municipality for a code, following renumberings and mergers (SSB's change table).

    At a split (1507 Ålesund → 1508 Ålesund + 1580 Haram in 2024) the successor that carries the
    name of the municipality the code first stood for wins: 1534 Haram → 1507 → 1580 Haram.
    """
    seen: set[str] = set()
    current = code.strip().zfill(4)
    names: list[str] = []
    while current not in seen:
        seen.add(current)
        municipality = Municipality.objects.filter(country=country, code=current).first()
        if municipality is not None:
            return municipality
        changes = list(
            MunicipalityChange.objects.filter(country=country, old_code=current)
            .exclude(new_code=current)
            .order_by("-changed_on")
        )
        if not changes:
            return None
        names.append(changes[0].old_name)

        def successor_name(change: MunicipalityChange) -> str:
            return change.new_name.split(" - ")[-1]

        for name in names:
            matching = [c for c in changes if successor_name(c) == name]
            if matching:
                current = matching[0].new_code
                break
        else:
            current = changes[0].new_code
    return None


def _other_admins(member: TeamMember) -> bool:
    return (
        TeamMember.objects.filter(agency=member.agency, role=AgencyRole.ADMIN)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def team_member_create(*, actor: Actor, agency: Agency, data: TeamMemberData) -> TeamMember:
    member = TeamMember(agency=agency, **dict(data.items()))
    member.email = member.email.strip().lower()
    member.full_clean()
    member.user = get_user_model().objects.filter(email__iexact=member.email).first()
    member.save()
    audit_log(
        action="directory.team_member.created",
        actor=actor,
        agency=agency,
        target=member,
        data={"role": member.role},
    )
    return member


@transaction.atomic
def team_member_update(
    *, actor: Actor, agency: Agency, member: TeamMember, data: TeamMemberData
) -> TeamMember:
    # Lock the agency's admins so two admins demoting each other cannot leave none.
    list(TeamMember.objects.select_for_update().filter(agency=agency, role=AgencyRole.ADMIN))
    if (
        member.role == AgencyRole.ADMIN
        and data.role != AgencyRole.ADMIN
        and not _other_admins(member)
    ):
        raise ValidationError({"role": _("The agency must keep at least one administrator.")})
    data = replace(data, email=data.email.strip().lower())
    changes = _changed(member, data)
    if changes:
        member.full_clean()
        if "email" in changes:
            member.user = get_user_model().objects.filter(email__iexact=member.email).first()
        member.save()
        audit_log(
            action="directory.team_member.updated",
            actor=actor,
            agency=agency,
            target=member,
            data={"fields": sorted(changes)},
        )
    return member


@transaction.atomic
def team_member_delete(*, actor: Actor, agency: Agency, member: TeamMember) -> None:
    list(TeamMember.objects.select_for_update().filter(agency=agency, role=AgencyRole.ADMIN))
    if member.role == AgencyRole.ADMIN and not _other_admins(member):
        raise ValidationError(_("The agency must keep at least one administrator."))
    audit_log(
        action="directory.team_member.deleted",
        actor=actor,
        agency=agency,
        data={"member_id": member.pk, "role": member.role},
    )
    member.delete()
