from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.module_loading import import_string

from bokbro.core.demo import DemoError, load_demo, load_demo_events


class Command(BaseCommand):
    help = "Load the demo agencies, teams and people (idempotent). Needs the imported directory."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        try:
            users = load_demo()
            load_demo_events()
            # Each module adds its demo content (idempotent), after the events it may refer to.
            for path in settings.BOKBRO_DEMO:
                import_string(path)()
        except DemoError as error:
            raise CommandError(str(error)) from error
        port = settings.SITE_ROOT.rsplit(":", 1)[-1].strip("/") or "8000"
        self.stdout.write("")
        self.stdout.write("Bokbro demo")
        self.stdout.write(
            f"  Norwegian agency: http://ostfold.localhost:{port}/ (and http://127.0.0.1:{port}/)"
        )
        self.stdout.write(f"  Swedish agency:   http://jonkoping.localhost:{port}/")
        self.stdout.write("")
        self.stdout.write("Sign in with one of these addresses; the sign-in code is printed in")
        self.stdout.write("this terminal (the demo's e-mail goes to the console):")
        for user in users:
            self.stdout.write(f"  {user.email:40} {user.role} ({user.agency})")
        self.stdout.write("")
