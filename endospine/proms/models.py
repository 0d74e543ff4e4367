"""Instruments, the timepoints an episode is asked at, and the answers given.

A response keeps the answers as a FHIR QuestionnaireResponse (`resource`) and
the computed score in plain columns, so lists and charts need no JSON parsing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.journey.models import Episode


class Instrument(models.Model):
    """One loaded FHIR Questionnaire (from content/instruments/, see `endospine proms load`)."""

    code = models.CharField(max_length=30, unique=True)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    questionnaire = models.JSONField()
    licensed_wording = models.BooleanField(default=False)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Timepoint(models.Model):
    """When an episode's PROMs are asked: baseline before surgery, then follow-ups."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="prom_timepoints")
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=60)
    days_after_surgery = models.IntegerField(default=0)
    opens_on = models.DateField()
    due_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True, help_text="Last day an answer counts.")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Reminder bookkeeping: 0 none sent, 1 "it is due" sent, 2 "it is overdue" sent.
    # A sender claims a row (claim token + time) before sending, so two workers
    # never send the same reminder; a claim older than the lease is retried.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    reminder_claim = models.UUIDField(null=True, blank=True)
    reminder_claimed_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["days_after_surgery"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "code"], name="unique_prom_timepoint")
        ]
        indexes = [models.Index(fields=["completed_at", "opens_on"], name="prom_tp_sweep")]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One completed instrument, as a FHIR QuestionnaireResponse with its score."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="prom_responses")
    timepoint = models.ForeignKey(
        Timepoint, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    instrument = models.CharField(max_length=30)
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text="Item code -> 0..5 / 0..10 or null.")
    resource = models.JSONField(help_text="The FHIR QuestionnaireResponse.")
    score = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=20, blank=True)
    answered = models.PositiveSmallIntegerField(default=0)
    # False for an ODI answered without the licensed wording: such scores are kept
    # apart from ODI scores and never compared with registry ODI (issue 16 item 15).
    licensed_wording = models.BooleanField(default=True)
    authored_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["authored_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["timepoint", "instrument"], name="one_response_per_instrument_timepoint"
            )
        ]
        indexes = [models.Index(fields=["episode", "instrument", "authored_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.score}"
