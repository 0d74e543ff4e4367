"""The notification outbox: queue messages with the change that causes them, send each once.

Guarantees (see docs/recover.md):
- Queued in the same transaction as its cause (the check-in, the claimed
  reminder, the escalation), together with its django-tasks job: either all
  of them commit or none.
- Sent by one claimer at a time: a conditional UPDATE takes a lease; the
  winner sends and stamps sent_at. A sender killed after claiming leaves a
  lease that expires, and the sweep queues the row again, so nothing is lost.
- The only way a message can go out twice is a crash in the instant between
  the gateway accepting it and sent_at being committed; the message id is
  passed to the gateway (Message-ID header) so a provider can drop the copy.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q

from endospine.core import clock
from endospine.core.sms import send_sms
from endospine.recover.models import Notification

logger = logging.getLogger(__name__)

# A claimed-but-unsent row is taken back after this long (a send takes seconds).
LEASE = timedelta(minutes=2)
# A queued row whose job has not run by then is queued again (e.g. the job
# was lost with a killed worker).
REQUEUE_AFTER = timedelta(minutes=2)


def queue(
    *,
    kind: str,
    channel: str,
    to: str,
    body: str,
    dedupe_key: str,
    subject: str = "",
    episode_id: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None,
) -> Notification | None:
    """Create the outbox row and its job, inside the caller's transaction.

    Returns None when the row already exists (same dedupe key), so a cause
    processed twice never produces two messages.
    """
    if not to:
        return None
    now = clock.now()
    row = Notification(
        kind=kind,
        channel=channel,
        to=to,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        episode_id=episode_id,
        alert_id=alert_id,
        created_at=now,
        enqueued_at=now,
    )
    # savepoint=False: inside the caller's transaction (a check-in) a savepoint
    # would cost two round trips and buys nothing, since a failure here fails
    # the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        # ON CONFLICT DO NOTHING: the primary key we chose tells whether we won.
        Notification.objects.bulk_create([row], ignore_conflicts=True)
        if not Notification.objects.filter(pk=row.pk).exists():
            return None
        _enqueue(row.pk)
    return row


def _enqueue(notification_id: uuid.UUID) -> None:
    from endospine.recover.tasks import send_notification

    send_notification.enqueue(str(notification_id))


def claim(notification_id: uuid.UUID | str) -> Notification | None:
    """Take the lease on an unsent row; None when sent or someone else holds it."""
    now = clock.now()
    token = uuid.uuid4().hex
    won = (
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .update(claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    )
    if not won:
        return None
    return Notification.objects.get(pk=notification_id)


def _deliver(row: Notification) -> None:
    if row.channel == Notification.Channel.SMS:
        send_sms(row.to, row.body)
        return
    message = EmailMessage(
        subject=row.subject or "EndoSpine",
        body=row.body,
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
        to=[row.to],
        headers={"Message-ID": f"<{row.pk}@endospine>"},
    )
    message.send(fail_silently=False)


def send(notification_id: uuid.UUID | str) -> bool:
    """Send one queued message if it is still unsent. True when this call sent it."""
    row = claim(notification_id)
    if row is None:
        return False
    try:
        _deliver(row)
    except Exception as exc:
        # Give the lease back at once so the next sweep retries; keep no PHI in the log.
        Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(
            claimed_at=None, last_error=type(exc).__name__[:200]
        )
        logger.warning("notification %s failed: %s", row.pk, type(exc).__name__)
        _raise_failure_alert(row)
        raise
    Notification.objects.filter(pk=row.pk, claim_token=row.claim_token).update(sent_at=clock.now())
    return True


def _raise_failure_alert(row: Notification) -> None:
    """A failed message about an alert is itself an alert, so that a person sees it."""
    if row.alert_id is None:
        return
    from endospine.recover.services import delivery_failure_raise

    try:
        delivery_failure_raise(notification_id=row.pk)
    except Exception:
        logger.exception("could not record the failed delivery of %s", row.pk)


def requeue_stale() -> int:
    """Queue again every unsent row whose job is lost or whose sender died."""
    now = clock.now()
    stale = (
        Notification.objects.filter(sent_at__isnull=True, enqueued_at__lt=now - REQUEUE_AFTER)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE))
        .values_list("pk", "enqueued_at")[:500]
    )
    count = 0
    for pk, enqueued_at in stale:
        with transaction.atomic():
            # Conditional on the value we read, so two sweeps queue it once.
            if Notification.objects.filter(pk=pk, enqueued_at=enqueued_at).update(enqueued_at=now):
                _enqueue(pk)
                count += 1
    return count
