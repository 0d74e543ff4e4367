"""`endospine worker`: run background jobs and the recovery sweep in one process.

Runs django-tasks-db's worker loop (which sends the queued messages) in the
main thread and, beside it, a thread that sweeps every few seconds: due
reminders, unacknowledged alerts to escalate, lost jobs to queue again.
Killing the process at any moment loses nothing (see endospine/recover/outbox.py).
"""

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from endospine.recover.sweep import sweep

logger = logging.getLogger("endospine.worker")


def _sweep_forever(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            sweep()
        except Exception:
            # A database restart must not kill the sweeper: try again next round.
            logger.exception("sweep failed; retrying")
        stop.wait(every)
    connection.close()


def drain(worker: Worker) -> int:
    """Run every ready job once, the way Worker.run claims them, then return.

    Unlike Worker.run it never closes the database connection, so it also
    works inside a test's transaction.
    """
    count = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            job = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name).get_locked()
            if job is not None:
                job.claim(worker.worker_id)
        if job is None:
            return count
        worker.run_task(job)
        count += 1


class Command(BaseCommand):
    help = "Run background jobs (reminders, alerts, escalations) and the periodic sweep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--sweep-every", type=float, default=5.0, help="seconds")
        parser.add_argument("--interval", type=float, default=1.0, help="job poll, seconds")
        parser.add_argument(
            "--batch", action="store_true", help="sweep once, run every queued job, then exit"
        )
        parser.add_argument("--worker-id", default="", help="name shown on claimed jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=options["worker_id"] or f"endospine-{threading.get_native_id()}",
            excluded_queue_names=[],
        )
        if options["batch"]:
            sweep()
            drain(worker)
            return
        stop = threading.Event()
        sweeper = threading.Thread(
            target=_sweep_forever,
            args=(stop, options["sweep_every"]),
            name="recover-sweep",
            daemon=True,
        )
        sweeper.start()
        worker.configure_signals()
        try:
            self._run_resiliently(worker)
        finally:
            stop.set()
            sweeper.join(timeout=10)

    def _run_resiliently(self, worker: Worker) -> None:
        """Keep polling through database restarts; a clean signal ends the loop."""
        while worker.running:
            try:
                worker.run()
            except Exception:
                logger.exception("worker loop failed; restarting in 2 s")
                close_old_connections()
                threading.Event().wait(2)
