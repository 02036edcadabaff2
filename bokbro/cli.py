"""`bokbro`: the operator's command, a thin layer over Django's manage.py.

    bokbro serve [--gunicorn]      web server and a task worker
    bokbro worker                  a task worker only (run as many as you like)
    bokbro migrate                 create or update the database tables
    bokbro import-directory        load counties, municipalities and libraries (idempotent)
    bokbro createadmin EMAIL       make an agency administrator who signs in by e-mailed code
    bokbro periodic                reminders, expired offers, anonymisation, due newsletters
                                   (every 5 minutes)
    bokbro newsletter-send         a dedicated newsletter sender (run as a service)
    bokbro load-demo               demo agencies, people, users and events
    bokbro backup [--to DIR]       the database and uploaded files in one dated archive
    bokbro restore ARCHIVE         an archive into an empty database and media folder
    bokbro check --deploy          Django's production checks
Any other Django management command works too, with dashes or underscores.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "worker": ["db_worker", "--queue-name", "*"],
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bokbro.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    translated = ALIASES.get(command, [command.replace("-", "_")])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bokbro", *translated, *rest])


if __name__ == "__main__":
    main()
