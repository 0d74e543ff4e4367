"""Background jobs of PROMs (django-tasks, database backend). Jobs only call services.

`send_due_prom_reminders(now)` is the plain sweep function the worker's
periodic loop calls; `prom_reminders` is the same as an enqueueable task.
"""

from django_tasks import task

from endospine.core import clock
from endospine.proms.reminders import ReminderResult, send_due_prom_reminders

__all__ = ["ReminderResult", "prom_reminders", "send_due_prom_reminders"]


@task()
def prom_reminders() -> int:
    """Send the PROM reminders due now; returns how many went out."""
    return send_due_prom_reminders(clock.now()).sent
