"""Writes on user accounts: creation by operators, the owner's export and erasure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from bokbro.accounts.models import User
from bokbro.core.audit import audit_log
from bokbro.directory.models import Agency, AgencyRole, TeamMember
from bokbro.directory.services import user_link_directory


@transaction.atomic
def user_create(
    *,
    email: str,
    name: str = "",
    language: str = "",
    password: str | None = None,
    superuser: bool = False,
) -> User:
    """A user whose address counts as verified, so they can sign in by e-mailed code."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        manager = User.objects
        create = manager.create_superuser if superuser else manager.create_user
        user = create(email=email, password=password, name=name, language=language)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user_link_directory(user=user)
    return user


@transaction.atomic
def agency_admin_create(*, agency: Agency, email: str, name: str, actor: Any = None) -> TeamMember:
    user = user_create(email=email, name=name, language=agency.language)
    member, _created = TeamMember.objects.update_or_create(
        agency=agency,
        email=email.lower(),
        defaults={"name": name or email, "role": AgencyRole.ADMIN, "user": user},
    )
    audit_log(action="accounts.admin.created", actor=actor, agency=agency, target=member)
    return member


@dataclass(frozen=True)
class PersonalData:
    """What a module holds about a person by e-mail address, for export and erasure.

    A module declares one as `personal_data` in its contract (bokbro.core.modules), so the
    account's export and deletion reach data the accounts app does not know about (newsletter
    subscriptions, …) without importing those modules."""

    key: str
    export: Callable[[list[str]], Any]
    erase: Callable[[list[str]], Any]


def personal_data() -> dict[str, PersonalData]:
    """Every module's declared personal data, by key."""
    from bokbro.core.modules import resolved

    return {entry.key: entry for _module, entry in resolved("personal_data")}


def user_addresses(user: User) -> list[str]:
    """The user's address and every other address they have verified."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in verified)})


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Bokbro holds about a user, as the owner may download it (GDPR art. 15/20)."""
    from bokbro.directory.models import Person

    person = Person.objects.filter(user=user).prefetch_related("library_roles__library").first()
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
        },
        "directory_person": None
        if person is None
        else {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "title": person.title,
            "organisation": str(person.organisation) if person.organisation_id else None,
            "library_roles": [
                {"library": r.library.name, "role": r.role} for r in person.library_roles.all()
            ],
        },
        "agency_team": [
            {"agency": m.agency.name, "title": m.title, "role": m.role, "phone": m.phone}
            for m in TeamMember.objects.filter(user=user).select_related("agency")
        ],
    } | {key: entry.export(user_addresses(user)) for key, entry in sorted(personal_data().items())}


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account and the personal data that hangs on it.

    The directory person record is removed too (with its roles); team page entries are unlinked
    and stay, as they are the agency's published staff list, until the agency removes them.
    The audit log keeps the action codes but loses the link to the person."""
    from bokbro.directory.models import Person

    audit_log(action="accounts.user.erased", data={"user_id": user.pk})
    addresses = user_addresses(user)
    for entry in personal_data().values():
        entry.erase(addresses)
    Person.objects.filter(user=user).delete()
    TeamMember.objects.filter(user=user).update(user=None)
    user.delete()
