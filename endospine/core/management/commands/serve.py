"""`endospine serve`: the production web server (granian, WSGI), sized from the machine.

Why granian and how it was chosen (measured against gunicorn): docs/deploy.md.

- Processes: one worker per core (`--workers`, default `os.cpu_count()`), each
  with a few threads for requests that wait on the database (`--threads`).
- Static files: served by WhiteNoise inside the app (see settings), so one
  process is a whole deployment; a CDN can sit in front of `/static/`.
- Graceful shutdown: SIGTERM or SIGINT stops accepting, lets requests in
  flight finish (up to `--grace` seconds), then exits.
- Reload: SIGHUP restarts the workers one by one with the new code, without
  dropping the listening socket; `--reload` watches the source tree (development).

The process replaces itself with granian (exec), so a supervisor's signals
reach the server directly. `endospine runserver` stays Django's development server.
"""

import importlib.util
import os
import shutil
import socket
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

THREADS_PER_WORKER = 4


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port.

    granian binds with SO_REUSEPORT, so a second server on a busy port would
    start without error and silently share its traffic with the first (say, a
    stale server of an older release or another database). A plain bind,
    without SO_REUSEPORT, fails on a port any server already holds.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: connections of a server just stopped (TIME_WAIT) do not
        # count; a listening socket still does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def granian_argv(
    *, host: str, port: int, workers: int, threads: int, grace: int, reload: bool, backlog: int
) -> list[str]:
    """The granian command line for these settings (pure, so it can be tested)."""
    argv = [
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--backlog",
        str(backlog),
        "--workers-kill-timeout",
        str(grace),
        "--no-ws",
        "--respawn-failed-workers",
        "--log-level",
        "warning",
    ]
    if reload:
        argv.append("--reload")
    argv.append("endospine.wsgi:application")
    return argv


class Command(BaseCommand):
    help = "Serve EndoSpine with the production server (granian), one worker per core."
    requires_system_checks: Any = []  # granian's workers import the app and run them

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default=os.environ.get("ENDOSPINE_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("ENDOSPINE_PORT", "8000"))
        )
        parser.add_argument("--workers", type=int, default=0, help="default: one per core")
        parser.add_argument("--threads", type=int, default=THREADS_PER_WORKER)
        parser.add_argument("--grace", type=int, default=30, help="seconds to finish requests")
        parser.add_argument("--backlog", type=int, default=2048)
        parser.add_argument("--reload", action="store_true", help="restart on code changes")
        parser.add_argument("--print", action="store_true", help="print the command, do not run")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 0 or options["threads"] < 1:
            raise CommandError("--workers must be >= 0 (0: one per core) and --threads >= 1")
        argv = granian_argv(
            host=options["host"],
            port=options["port"],
            workers=options["workers"] or default_workers(),
            threads=options["threads"],
            grace=options["grace"],
            reload=options["reload"],
            backlog=options["backlog"],
        )
        if options["reload"] and importlib.util.find_spec("watchfiles") is None:
            raise CommandError("--reload needs watchfiles: pip install 'granian[reload]'")
        if options["print"]:
            self.stdout.write(" ".join(argv))
            return
        if not port_is_free(options["host"], options["port"]):
            raise CommandError(f"{options['host']}:{options['port']} is already in use")
        here = str(Path(sys.executable).parent)  # the virtualenv's own granian first
        binary = shutil.which("granian", path=here) or shutil.which("granian")
        if binary is None:
            raise CommandError("granian is not installed: pip install -e . (it is a dependency)")
        sys.stdout.flush()
        os.execv(binary, [binary, *argv[1:]])  # noqa: S606 (a fixed argv, no shell)
