"""Writes on user accounts: creation by operators and the owner's erasure."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db import transaction

from bokbro.accounts.models import User
from bokbro.accounts.personal import personal_data
from bokbro.accounts.selectors import user_addresses
from bokbro.core.audit import audit_log
from bokbro.core.types import Actor
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
def agency_admin_create(
    *, agency: Agency, email: str, name: str, actor: Actor | None = None
) -> TeamMember:
    user = user_create(email=email, name=name, language=agency.language)
    member, _created = TeamMember.objects.update_or_create(
        agency=agency,
        email=email.lower(),
        defaults={"name": name or email, "role": AgencyRole.ADMIN, "user": user},
    )
    audit_log(action="accounts.admin.created", actor=actor, agency=agency, target=member)
    return member


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete the account and the personal data that hangs on it.

    The directory person record is removed too (with its roles); team page entries are unlinked
    and stay, as they are the agency's published staff list, until the agency removes them.
    The audit log keeps the action codes but loses the link to the person."""
    from bokbro.directory.colleagues import pending_colleagues_erase
    from bokbro.directory.models import Person

    audit_log(action="accounts.user.erased", data={"user_id": user.pk})
    addresses = user_addresses(user)
    for entry in personal_data().values():
        entry.erase(addresses)
    pending_colleagues_erase(addresses)
    Person.objects.filter(user=user).delete()
    TeamMember.objects.filter(user=user).update(user=None)
    user.delete()
