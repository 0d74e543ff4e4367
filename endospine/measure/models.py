"""The outcomes registry: adverse events, follow-up answers, verified quarters and the
maintained outcome facts every report is computed from.

`OutcomeFact` is the summary: one row per operated episode x measure x timepoint,
denormalised with every grouping dimension, rebuilt for an episode whenever one
of its source rows changes (see services.registry_refresh). Reports aggregate it
with one GROUP BY; tests recompute every figure from the raw rows.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.accounts.models import Site
from endospine.journey.models import Episode


class AdverseEvent(models.Model):
    """One complication, coded from content/registry/adverse_events.yaml."""

    class Source(models.TextChoices):
        OPERATIVE_RECORD = "operative_record", "Operative record"
        ALERT = "alert", "Home check-in alert"
        STAFF = "staff", "Staff report"
        PATIENT = "patient", "Patient report"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="adverse_events")
    code = models.CharField(max_length=40)
    occurred_on = models.DateField()
    clavien_dindo = models.CharField(max_length=4)
    source = models.CharField(max_length=20, choices=Source.choices)
    alert = models.ForeignKey(
        "recover.Alert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "code", "source"],
                condition=models.Q(source="operative_record"),
                name="one_operative_event_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.clavien_dindo})"


class FollowUpAnswer(models.Model):
    """Satisfaction (NASS index 1-4) and work status at one follow-up timepoint."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="followup_answers")
    timepoint = models.CharField(max_length=10)  # 6w, 3m, 12m, 24m
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    returned_to_work = models.BooleanField(null=True, blank=True)
    returned_to_work_on = models.DateField(null=True, blank=True)
    authored_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "timepoint"], name="one_followup_answer")
        ]


class ContactAttempt(models.Model):
    """A coordinator's call or message to chase a missing questionnaire (no free text)."""

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached"
        NO_ANSWER = "no_answer", "No answer"
        MESSAGE_LEFT = "message_left", "Message left"
        DECLINED = "declined", "Declined follow-up"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contact_attempts")
    timepoint = models.CharField(max_length=10)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at"]


class QuarterVerification(models.Model):
    """A surgeon confirmed their cases and adverse events of one quarter."""

    surgeon = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verified_quarters"
    )
    quarter = models.CharField(max_length=7)  # "2026Q3"
    cases = models.PositiveIntegerField()
    adverse_events = models.PositiveIntegerField()
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["surgeon", "quarter"], name="one_verification")
        ]


class PublicConsent(models.Model):
    """A surgeon agreed to be named on the public outcomes page."""

    surgeon = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_consent"
    )
    given_at = models.DateTimeField(default=timezone.now)


class OutcomeFact(models.Model):
    """One operated episode x measure x timepoint, with its grouping dimensions."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    surgeon = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    approach = models.CharField(max_length=20)
    level = models.CharField(max_length=10)
    diagnosis = models.CharField(max_length=30)
    surgery_date = models.DateField()
    age = models.PositiveSmallIntegerField()
    same_day = models.BooleanField(null=True)
    measure = models.CharField(max_length=20)
    timepoint = models.CharField(max_length=10)
    closes_on = models.DateField(help_text="The last day of the window; eligible after it.")
    responded = models.BooleanField()
    baseline = models.FloatField(null=True)
    baseline_odi = models.FloatField(null=True)
    followup = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "measure", "timepoint"], name="one_fact_per_measure"
            )
        ]
        indexes = [
            models.Index(fields=["measure", "timepoint", "closes_on"], name="fact_tile"),
            models.Index(fields=["measure", "timepoint", "surgery_date"], name="fact_dates"),
        ]


class RegistryExport(models.Model):
    """One de-identified export (`endospine export registry`), audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(default=timezone.now)
    file_format = models.CharField(max_length=10)
    rows = models.PositiveIntegerField()
    episodes = models.PositiveIntegerField()


class OutcomeCell(models.Model):
    """Sums of OutcomeFact per month of surgery and every grouping dimension, per
    definition: what the reports read for months whose windows have all closed.

    Rebuilt from the facts for the (month, surgeon) pairs a write touched (see
    summary.cells_refresh); a test recomputes every report figure from raw rows.
    """

    definition = models.CharField(max_length=60)  # "code:version"
    measure = models.CharField(max_length=20)
    timepoint = models.CharField(max_length=10)
    surgery_month = models.DateField()
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    surgeon = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    approach = models.CharField(max_length=20)
    level = models.CharField(max_length=10)
    diagnosis = models.CharField(max_length=30)
    responded = models.BooleanField()
    odi_band = models.CharField(max_length=10)
    age_band = models.CharField(max_length=10)
    min_closes_on = models.DateField()
    max_closes_on = models.DateField()
    n = models.PositiveIntegerField()
    success_n = models.PositiveIntegerField()
    sum_baseline = models.FloatField(null=True)
    sum_followup = models.FloatField(null=True)
    n_same_day = models.PositiveIntegerField()
    sum_age = models.PositiveIntegerField()
    sum_baseline_odi = models.FloatField(null=True)
    n_baseline_odi = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["definition", "measure", "timepoint", "surgery_month"],
                         name="cell_tile"),
            models.Index(fields=["surgery_month", "surgeon"], name="cell_refresh"),
        ]  # fmt: skip
