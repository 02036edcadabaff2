from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from bokbro.core.demo import DemoError, load_all


class Command(BaseCommand):
    help = "Load the demo agencies, teams, people and every module's demo content (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="The port the demo is served on, for the addresses printed (`make demo` "
            "passes its PORT); if left out, SITE_ROOT's port, else serve's 8000.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        try:
            lines = load_all()
        except DemoError as error:
            raise CommandError(str(error)) from error
        port = options["port"] or urlsplit(settings.SITE_ROOT).port or 8000
        self.stdout.write("")
        self.stdout.write("Bokbro demo")
        self.stdout.write(
            f"  Norwegian agency: http://ostfold.localhost:{port}/ (and http://127.0.0.1:{port}/)"
        )
        self.stdout.write(f"  Swedish agency:   http://jonkoping.localhost:{port}/")
        self.stdout.write("")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
