"""A patient and their episodes of care.

An episode is one patient's pathway for one spine problem, from the first
question to the final outcome. Its stage only changes through
endospine.journey.services.change_stage, which validates the move and writes
the timeline.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.accounts.models import Site


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="patient",
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("medical record number", max_length=40)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [models.UniqueConstraint(fields=["site", "mrn"], name="unique_mrn_per_site")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Stage(models.TextChoices):
    LEARN = "learn", "Learn"
    ASSESS = "assess", "Assess"
    PREPARE = "prepare", "Prepare"
    OPERATE = "operate", "Operate"
    RECOVER = "recover", "Recover"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STAGES = (Stage.LEARN, Stage.ASSESS, Stage.PREPARE, Stage.OPERATE, Stage.RECOVER)


class Episode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    # Denormalised from the patient so that "staff see their sites' episodes"
    # is one indexed filter on every list.
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="episodes")
    title = models.CharField(max_length=200, help_text="The spine problem, e.g. 'L4-L5 disc'.")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.LEARN)
    surgeon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surgeon_episodes",
    )
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nurse_episodes",
    )
    opened_on = models.DateField(default=timezone.localdate)
    surgery_date = models.DateField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        # The worklist order, per site and per site+stage, so a page is an
        # index range scan rather than a sort of every episode of the site.
        indexes = [
            models.Index(
                fields=["site", "stage", "-stage_changed_at", "-id"],
                name="episode_site_stage_order",
            ),
            models.Index(fields=["site", "-stage_changed_at", "-id"], name="episode_site_order"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_stage_display()})"

    @property
    def days_since_surgery(self) -> int | None:
        """Days since the operation (0 on the day), None before it or when not set."""
        from endospine.core import clock

        if self.surgery_date is None:
            return None
        days = (clock.now().date() - self.surgery_date).days
        return days if days >= 0 else None


class TimelineEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, help_text="e.g. stage_changed, assessment_recorded")
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["episode", "at"])]
