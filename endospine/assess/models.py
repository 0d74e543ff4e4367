"""What the assess step stores. Nothing here is ever edited or deleted: a new
intake, set of findings or assessment is added instead, so the trail of what the
rules said and what the surgeon decided stays complete."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.journey.models import Episode


class Weakness(models.TextChoices):
    """Motor deficit, as the patient or the clinician describes it."""

    NONE = "none", "No weakness"
    MILD = "mild", "A little weaker"
    SEVERE = "severe", "Much weaker (for example the foot drops)"
    PROGRESSIVE = "progressive", "Weakness that is getting worse"


class Intake(models.Model):
    """The patient's own answers (or staff entering them on the patient's behalf)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="intakes")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(default=timezone.now)
    leg_pain = models.PositiveSmallIntegerField()
    back_pain = models.PositiveSmallIntegerField()
    symptom_weeks = models.PositiveIntegerField()
    physio_weeks = models.PositiveIntegerField(default=0)
    medication_weeks = models.PositiveIntegerField(default=0)
    injection_weeks = models.PositiveIntegerField(default=0)
    weakness = models.CharField(max_length=20, choices=Weakness.choices)
    numbness = models.BooleanField(default=False)
    saddle_numbness = models.BooleanField()
    bladder_change = models.BooleanField()
    bowel_change = models.BooleanField()
    # Added by issue 16 item 4; null = not asked (intakes stored before the question).
    sexual_dysfunction = models.BooleanField(null=True)
    both_legs = models.BooleanField(null=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["episode", "-submitted_at"])]

    def __str__(self) -> str:
        return f"Intake {self.pk}"

    @property
    def cauda_equina_signs(self) -> bool:
        return bool(
            self.saddle_numbness
            or self.bladder_change
            or self.bowel_change
            or self.sexual_dysfunction
            or self.both_legs
        )

    @property
    def cauda_equina_screen_asked(self) -> bool:
        """Every cauda equina question has an answer (yes or no), none left unasked."""
        return None not in (self.sexual_dysfunction, self.both_legs)

    @property
    def needs_emergency_care(self) -> bool:
        """Answers that must send the patient to emergency care straight away."""
        return self.cauda_equina_signs or self.weakness == Weakness.PROGRESSIVE

    @property
    def conservative_care_weeks(self) -> int:
        # Treatments usually overlap (physiotherapy while on medication), so the
        # longest one is how long conservative care has been tried.
        return max(self.physio_weeks, self.medication_weeks, self.injection_weeks)


class Findings(models.Model):
    """The clinician's reading of the imaging and examination."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="findings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    modality = models.CharField(max_length=10)  # mri, ct, none
    imaging_date = models.DateField(null=True, blank=True)
    concordant = models.BooleanField(default=False)
    # [{"level", "pathology", "zone", "migration", "calcified"}], validated by
    # endospine.assess.inputs.Finding before it is stored.
    levels = models.JSONField(default=list, blank=True)
    spondylolisthesis_grade = models.PositiveSmallIntegerField(default=0)
    dynamic_instability = models.BooleanField(default=False)
    scoliosis_cobb = models.PositiveSmallIntegerField(default=0)
    prior_surgery_same_level = models.BooleanField(default=False)
    high_iliac_crest = models.BooleanField(default=False)
    red_flags = models.JSONField(default=list, blank=True)
    # The clinician asked about every red flag: an empty `red_flags` then means
    # "none present", not "never asked" (issue 16 item 3).
    red_flags_asked = models.BooleanField(default=False)
    # The clinician's examination; "" means "not examined, use the patient's answer".
    motor_deficit = models.CharField(max_length=20, choices=Weakness.choices, blank=True)
    # Side of the symptoms and compression; "" when not given. The operative
    # record warns when the operated side differs (wrong-site surgery).
    side = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["episode", "-recorded_at"])]

    def __str__(self) -> str:
        return f"Findings {self.pk}"


class Assessment(models.Model):
    """One run of the rules: the exact inputs, the result and the rule-set version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="assessments")
    findings = models.ForeignKey(
        Findings, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(default=timezone.now)
    inputs = models.JSONField()
    result = models.JSONField()
    ruleset_version = models.CharField(max_length=40)
    recommendation = models.CharField(max_length=30)
    urgency = models.CharField(max_length=20)
    approach = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["episode", "-recorded_at"])]

    def __str__(self) -> str:
        return f"Assessment {self.pk}: {self.recommendation}"


class DecisionKind(models.TextChoices):
    CONFIRM = "confirm", "Confirmed"
    OVERRIDE = "override", "Overridden"


class Decision(models.Model):
    """The surgeon's decision on one assessment: confirm it, or override it with a reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="decision")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    decided_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    recommendation = models.CharField(max_length=30)
    approach = models.CharField(max_length=20, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.recommendation}"
