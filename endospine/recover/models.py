"""Recovery at home: scheduled check-ins, their triage, alerts and the outbox.

Life of a check-in: discharge calls services.start_recovery, which lays out
ScheduledCheckin rows (days 1, 2, 3, 7, 14, 21, 28, 42 by default). The worker's sweep
queues a reminder Notification when one falls due. The patient's Checkin is
stored with its triage result; an emergency or urgent result creates its
Alert in the same transaction. An alert nobody acknowledges is escalated by
the sweep, again and again, until a person acknowledges it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from endospine.accounts.models import Site
from endospine.journey.models import Episode


class Level(models.TextChoices):
    """Triage levels, in increasing severity: the order is what level_rank compares."""

    ROUTINE = "routine", "Routine"
    # A clinician reads it within the site's review window (issue 10: the review net, and
    # rules such as constipation on opioids). Raises an Alert like urgent and emergency.
    REVIEW = "review", "Review"
    URGENT = "urgent", "Urgent"
    EMERGENCY = "emergency", "Emergency"


def level_rank(level: str) -> int:
    """0 for routine, higher for more severe; an unknown level counts as the most severe."""
    values = list(Level.values)
    return values.index(level) if level in values else len(values)


class ScheduledCheckin(models.Model):
    """One check-in the patient is asked to complete, `day` days after discharge."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="scheduled_checkins"
    )
    day = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set, in the same transaction as the reminder rows, by the one sweep that
    # claims this check-in: a second sweep finds it set and skips it.
    reminder_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "day"], name="unique_checkin_day"),
        ]
        indexes = [models.Index(fields=["reminder_queued_at", "due_at"])]

    def __str__(self) -> str:
        return f"day {self.day} check-in"


class Checkin(models.Model):
    """What the patient reported, with the triage result it got at the time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="checkins")
    scheduled = models.ForeignKey(
        ScheduledCheckin, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    submitted_at = models.DateTimeField()
    answers = models.JSONField(default=dict)
    level = models.CharField(max_length=10, choices=Level.choices)
    reasons = models.JSONField(default=list)
    advice = models.TextField(blank=True)
    ruleset_version = models.CharField(max_length=40)
    # A retried request with the same key returns this row instead of a second one.
    idempotency_key = models.CharField(max_length=100, blank=True, default="")
    request_digest = models.CharField(max_length=64, blank=True, default="")
    # The open alert this check-in raised or joined (a second red flag while
    # one is open joins it instead of adding a row).
    grouped_alert = models.ForeignKey(
        "Alert", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins"
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_checkin_idempotency_key",
            ),
        ]
        indexes = [models.Index(fields=["episode", "-submitted_at"])]

    def __str__(self) -> str:
        return f"{self.level} check-in {self.pk}"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class AlertKind(models.TextChoices):
    CHECKIN = "checkin", "Check-in"
    DELIVERY_FAILED = "delivery_failed", "Message not delivered"


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="alerts")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices, default=AlertKind.CHECKIN)
    # The check-in that opened the alert (later ones join it: Checkin.grouped_alert).
    checkin = models.OneToOneField(
        Checkin, on_delete=models.PROTECT, related_name="alert", null=True, blank=True
    )
    # For a delivery-failed alert: the message that could not be sent.
    failed_notification = models.OneToOneField(
        "Notification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="failure_alert",
    )
    severity = models.CharField(max_length=10, choices=Level.choices)
    created_at = models.DateTimeField()
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledge_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    escalation_count = models.PositiveSmallIntegerField(default=0)
    last_escalated_at = models.DateTimeField(null=True, blank=True)
    # When the sweep escalates next; cleared once a person acknowledges.
    next_escalation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["site", "resolved_at"]),
            models.Index(fields=["next_escalation_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.severity} alert {self.pk}"

    @property
    def status(self) -> str:
        if self.resolved_at:
            return AlertStatus.RESOLVED
        if self.acknowledged_at:
            return AlertStatus.ACKNOWLEDGED
        return AlertStatus.OPEN


class Notification(models.Model):
    """An outbox row: one message to one address, sent at most once by a claim.

    A sender claims the row with a conditional UPDATE (claimed_at empty or its
    lease expired, sent_at empty); only the winner sends, then stamps sent_at.
    A worker killed after claiming leaves an expired lease, so the sweep
    re-queues the row: nothing is lost.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder"
        ALERT = "alert"
        ESCALATION = "escalation"

    class Channel(models.TextChoices):
        EMAIL = "email"
        SMS = "sms"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # Unique per purpose, e.g. "reminder:<scheduled id>:email", so a message is queued once.
    dedupe_key = models.CharField(max_length=200, unique=True)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, null=True, blank=True)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel}"
