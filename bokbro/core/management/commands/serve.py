"""Run the web server and a task worker together (the demo, or a small single-machine install)."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand

# A tiny scheduler for single-machine installs: run `manage.py periodic` every N seconds.
PERIODIC_LOOP = """
import subprocess, sys, time
while True:
    subprocess.run([sys.executable, "-m", "django", "periodic", "-v", "0"], check=False)
    time.sleep(int(sys.argv[1]))
"""


class Command(BaseCommand):
    help = "Start the web server and a background task worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="Start the web server only.")
        parser.add_argument(
            "--gunicorn", action="store_true", help="Serve with gunicorn instead of runserver."
        )
        parser.add_argument("--workers", default="3", help="gunicorn worker processes.")
        parser.add_argument(
            "--periodic-every",
            type=int,
            default=300,
            help="Seconds between runs of the periodic work (0: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        manage = [python, "-m", "django"]
        children: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            children.append(
                subprocess.Popen([*manage, "db_worker", "--queue-name", "*", "--interval", "1"])
            )
        address = f"{options['host']}:{options['port']}"
        if options["gunicorn"]:
            web = [
                python,
                "-m",
                "gunicorn",
                "bokbro.wsgi",
                "--bind",
                address,
                "--workers",
                options["workers"],
            ]
        else:
            web = [*manage, "runserver", address, "--noreload"]
        self.stdout.write(f"Bokbro on http://{address}/ (Ctrl+C stops it)")
        server = subprocess.Popen(web)
        children.append(server)

        def stop(*_args: Any) -> None:
            for child in children:
                child.terminate()

        if not options["no_worker"] and options["periodic_every"] > 0:
            children.append(
                subprocess.Popen(
                    [python, "-c", PERIODIC_LOOP, str(options["periodic_every"])],
                )
            )

        signal.signal(signal.SIGTERM, stop)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                child.wait(timeout=10)
