"""Background jobs (django-tasks, database backend). Jobs only call services."""

from django_tasks import task

from endospine.recover import outbox


@task()
def send_notification(notification_id: str) -> bool:
    """Send one outbox row; a no-op when it was already sent or is being sent."""
    return outbox.send(notification_id)
