"""The worker's periodic sweep: queue due reminders, escalate unacknowledged alerts.

Every step claims its row with a conditional UPDATE inside the transaction
that also queues the messages, so two sweeps running at once (or a sweep
killed half-way) never send a reminder or an escalation twice and never
skip one: an uncommitted claim is rolled back and retried next time.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core import clock
from endospine.journey.services import record_event
from endospine.proms.reminders import send_due_prom_reminders
from endospine.recover import config, notify, outbox
from endospine.recover.models import Alert, ScheduledCheckin

logger = logging.getLogger(__name__)
BATCH = 200


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: int = 0
    requeued: int = 0
    prom_reminders: int = 0


def _reminder_text(slot: ScheduledCheckin) -> str:
    url = reverse("recover:checkin", kwargs={"episode_id": slot.episode_id})
    return (
        f"Your day {slot.day} recovery check-in is ready. It takes about two minutes: {url} "
        "If you feel very unwell, call your emergency number now."
    )


def _queue_reminder(slot: ScheduledCheckin) -> bool:
    now = clock.now()
    with transaction.atomic():
        won = ScheduledCheckin.objects.filter(
            pk=slot.pk, reminder_queued_at__isnull=True, completed_at__isnull=True
        ).update(reminder_queued_at=now)
        if not won:
            return False
        patient = slot.episode.patient
        addresses = {"email": patient.email, "sms": patient.phone}
        for channel in config.reminder_channels(slot.episode.site):
            outbox.queue(
                kind="reminder",
                channel=channel,
                to=addresses[channel],
                subject="Your recovery check-in",
                body=_reminder_text(slot),
                dedupe_key=f"reminder:{slot.pk}:{channel}",
                episode_id=slot.episode_id,
            )
    return True


def queue_due_reminders() -> int:
    """One reminder per scheduled check-in that fell due and is not done or missed."""
    now = clock.now()
    due = (
        ScheduledCheckin.objects.select_related("episode__patient", "episode__site")
        .filter(reminder_queued_at__isnull=True, completed_at__isnull=True, due_at__lte=now)
        .order_by("due_at")[:BATCH]
    )
    count = 0
    for slot in due:
        if slot.due_at + config.missed_after(slot.episode.site) <= now:
            # Missed long ago (e.g. the worker was off for days): a late nudge helps nobody.
            ScheduledCheckin.objects.filter(pk=slot.pk).update(reminder_queued_at=now)
            continue
        count += _queue_reminder(slot)
    return count


def _escalate(alert: Alert) -> bool:
    now = clock.now()
    step = alert.escalation_count + 1
    with transaction.atomic():
        won = Alert.objects.filter(
            pk=alert.pk,
            escalation_count=alert.escalation_count,
            acknowledged_at__isnull=True,
            resolved_at__isnull=True,
        ).update(
            escalation_count=step,
            last_escalated_at=now,
            next_escalation_at=now + config.escalation_interval(alert.site, alert.severity),
        )
        if not won:
            return False
        notify.queue_alert_messages(
            alert=alert, people=notify.escalation_targets(alert), kind="escalation", step=str(step)
        )
        record_event(
            episode=alert.episode,
            kind="alert_escalated",
            summary=f"Alert escalated to coordinator and surgeon (step {step})",
            data={"step": step, "level": alert.severity},
        )
        record(
            request=None,
            action=AuditAction.UPDATE,
            obj=alert,
            patient_id=alert.episode.patient_id,
            detail=f"alert escalated {step}",
        )
    return True


def escalate_due_alerts() -> int:
    due = (
        Alert.objects.select_related("site", "episode__surgeon")
        .filter(
            acknowledged_at__isnull=True,
            resolved_at__isnull=True,
            next_escalation_at__lte=clock.now(),
        )
        .order_by("next_escalation_at")[:BATCH]
    )
    return sum(_escalate(alert) for alert in due)


def sweep() -> SweepResult:
    """One pass; the worker calls it every few seconds."""
    result = SweepResult(escalations=escalate_due_alerts(), reminders=queue_due_reminders())
    result.requeued = outbox.requeue_stale()
    # PROM reminders are claimed row by row in the proms app, so several
    # workers may sweep at once without sending anything twice.
    result.prom_reminders = send_due_prom_reminders(clock.now()).sent
    if result.reminders or result.escalations or result.requeued or result.prom_reminders:
        logger.info(
            "sweep: %s check-in reminders, %s PROM reminders, %s escalations, %s requeued",
            result.reminders,
            result.prom_reminders,
            result.escalations,
            result.requeued,
        )
    return result
