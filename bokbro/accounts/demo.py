"""Demo accounts: one for each team member and person of the directory's demo agencies, so the
demo can be tried in every role (sign in by e-mailed code). Idempotent."""

from __future__ import annotations

from django.db import transaction

from bokbro.accounts.services import user_create
from bokbro.directory.demo import AGENCIES
from bokbro.directory.models import AgencyRole, LibraryRoleKind, Person


@transaction.atomic
def load() -> list[str]:
    lines = [
        "Sign in with one of these addresses; the sign-in code is printed in",
        "this terminal (the demo's e-mail goes to the console):",
    ]
    for spec in AGENCIES:
        for name, _title, _area, email, _phone, role in spec["team"]:
            user_create(email=email, name=name, language=spec["language"])
            lines.append(f"  {email:40} {AgencyRole(role).label} ({spec['name']})")
        for name, email, _title, _code, role in spec["people"]:
            user_create(email=email, name=name, language=spec["language"])
            library = (
                Person.objects.filter(email=email, library_roles__role=role)
                .values_list("library_roles__library__name", flat=True)
                .first()
            )
            label = f"{LibraryRoleKind(role).label}, {library}"
            lines.append(f"  {email:40} {label} ({spec['name']})")
    return lines
