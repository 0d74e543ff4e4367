"""Reminders for open PROM timepoints: one when it opens, one more when overdue.

Each reminder is claimed with a conditional UPDATE (the row's reminder count
is unchanged and no live claim exists) and committed before anything is sent,
so two workers never send the same reminder. The count is stamped after the
send; a worker killed between claim and stamp leaves a claim that expires
after LEASE, and the next sweep sends it: nothing is lost. The one window
for a duplicate is a crash after the gateway accepted the message and
before the stamp commits (milliseconds).
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core.sms import send_sms
from endospine.proms import schedule
from endospine.proms.models import Timepoint
from endospine.proms.services import site_today, timepoint_status

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
BATCH = 200
WANTED = {schedule.DUE: 1, schedule.OVERDUE: 2}  # reminders that should have gone by now


@dataclass
class ReminderResult:
    sent: int = 0
    failed: int = 0


def _text(timepoint: Timepoint, now: datetime) -> tuple[str, str]:
    path = reverse("proms:episode", kwargs={"episode_id": timepoint.episode_id})
    url = getattr(settings, "SITE_URL", "").rstrip("/") + path
    late = timepoint.reminders_sent > 0 or timepoint.due_on < site_today(timepoint.episode, now)
    subject = "Your questionnaires are waiting" if late else "Your questionnaires are ready"
    body = (
        f"It is time for your '{timepoint.label}' questionnaires about your back and leg pain. "
        f"They take about five minutes and help your care team follow your recovery: {url}\n"
        "If you feel very unwell, call your emergency number now."
    )
    return subject, body


def _claim(timepoint: Timepoint, now: datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    won = (
        Timepoint.objects.filter(
            pk=timepoint.pk, reminders_sent=timepoint.reminders_sent, completed_at__isnull=True
        )
        .filter(Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=now - LEASE))
        .update(reminder_claim=token, reminder_claimed_at=now)
    )
    return token if won else None


def _deliver(timepoint: Timepoint, now: datetime) -> None:
    patient = timepoint.episode.patient
    subject, body = _text(timepoint, now)
    if patient.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [patient.email])
    if patient.phone:
        send_sms(patient.phone, body)


def _remind(timepoint: Timepoint, wanted: int, now: datetime) -> bool:
    token = _claim(timepoint, now)
    if token is None:
        return False  # another worker has it, or it changed since we read it
    try:
        _deliver(timepoint, now)
    except Exception:
        # Give the claim back so the next sweep retries; never log addresses.
        logger.exception("PROM reminder for timepoint %s failed", timepoint.pk)
        Timepoint.objects.filter(pk=timepoint.pk, reminder_claim=token).update(
            reminder_claim=None, reminder_claimed_at=None
        )
        raise
    with transaction.atomic():  # the stamp and its audit row commit together
        Timepoint.objects.filter(pk=timepoint.pk, reminder_claim=token).update(
            reminders_sent=wanted,
            last_reminded_at=now,
            reminder_claim=None,
            reminder_claimed_at=None,
        )
        record(
            request=None,
            action=AuditAction.UPDATE,
            obj=timepoint,
            patient_id=timepoint.episode.patient_id,
            detail=f"prom reminder {wanted}",
        )
    return True


def _candidates(now: datetime, after: object) -> list[Timepoint]:
    """The next batch of open, unfinished timepoints in primary-key order."""
    rows = (
        Timepoint.objects.select_related("episode__patient", "episode__site")
        .filter(completed_at__isnull=True, reminders_sent__lt=2, opens_on__lte=now.date())
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=now.date() - timedelta(days=1)))
        .filter(Q(reminder_claimed_at__isnull=True) | Q(reminder_claimed_at__lt=now - LEASE))
    )
    if after is not None:
        rows = rows.filter(pk__gt=after)
    return list(rows.order_by("pk")[:BATCH])


def send_due_prom_reminders(now: datetime) -> ReminderResult:
    """Send the reminders due at `now`; safe to run from several workers at once."""
    result = ReminderResult()
    after = None
    while batch := _candidates(now, after):
        after = batch[-1].pk
        for timepoint in batch:
            wanted = WANTED.get(timepoint_status(timepoint, site_today(timepoint.episode, now)), 0)
            if timepoint.reminders_sent >= wanted:
                continue
            try:
                result.sent += _remind(timepoint, wanted, now)
            except Exception:
                result.failed += 1
    return result
