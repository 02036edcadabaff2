"""Reads about a user's account: their addresses, and everything Bokbro holds about them."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from bokbro.accounts.models import User
from bokbro.accounts.personal import personal_data
from bokbro.directory.colleagues import pending_colleagues_export
from bokbro.directory.models import Person, TeamMember


def user_addresses(user: User) -> list[str]:
    """The user's address and every other address they have verified."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({user.email.lower(), *(address.lower() for address in verified)})


def user_export(*, user: User) -> dict[str, Any]:
    """Everything Bokbro holds about a user, as the owner may download it (GDPR art. 15/20)."""
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
        # Asked, when registering without an account, to be listed as a library's staff.
        "library_requests": pending_colleagues_export(user_addresses(user)),
    } | {key: entry.export(user_addresses(user)) for key, entry in sorted(personal_data().items())}
