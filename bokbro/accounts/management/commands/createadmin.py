from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bokbro.accounts.services import agency_admin_create, user_create
from bokbro.directory.models import Agency


class Command(BaseCommand):
    help = (
        "Create an administrator who signs in with a code sent by e-mail. With --agency the user "
        "becomes that agency's administrator; with --superuser also a Django superuser."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument("--agency", help="The agency's short name (slug).")
        parser.add_argument("--superuser", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"]
        if "@" not in email:
            raise CommandError(f"Not an e-mail address: {email!r}")
        if options["agency"]:
            agency = Agency.objects.filter(slug=options["agency"]).first()
            if agency is None:
                slugs = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No agency {options['agency']!r} (agencies: {slugs})")
            agency_admin_create(agency=agency, email=email, name=options["name"])
        user = user_create(email=email, name=options["name"], superuser=options["superuser"])
        if options["superuser"] and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        self.stdout.write(f"{email} can now sign in with a code sent by e-mail.")
