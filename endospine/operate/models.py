"""The operative record (with addenda) and the discharge of an episode.

A record is a draft until a surgeon signs it; from then on the row is frozen
(see OperativeRecord.save) and corrections are OperativeAddendum rows, so the
signed original is always what was signed.
"""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.journey.models import Episode
from endospine.operate import validation as v


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return list(mapping.items())


class SignedRecordError(Exception):
    """Code tried to change a signed operative record in place."""


class OperativeRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(
        Episode, on_delete=models.PROTECT, related_name="operative_record"
    )
    operation_date = models.DateField()
    surgeons = models.JSONField(default=list, help_text="Names of the operating surgeons.")
    anaesthesia = models.CharField(max_length=20, choices=_choices(v.ANAESTHESIA))
    technique = models.CharField(max_length=30, choices=_choices(v.TECHNIQUE))
    approach = models.CharField(max_length=20, choices=_choices(v.APPROACH))
    approach_detail = models.CharField(max_length=200, blank=True)
    levels = models.JSONField(default=list)
    side = models.CharField(max_length=20, choices=_choices(v.SIDE))
    foraminoplasty = models.BooleanField(default=False)
    endoscope_outer_diameter_mm = models.FloatField(null=True, blank=True)
    endoscope_working_channel_mm = models.FloatField(null=True, blank=True)
    endoscope_viewing_angle_deg = models.PositiveSmallIntegerField(null=True, blank=True)
    irrigation_fluid = models.CharField(max_length=20, choices=_choices(v.IRRIGATION_FLUID))
    irrigation_mode = models.CharField(max_length=20, choices=_choices(v.IRRIGATION_MODE))
    pump_pressure_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    incision_length_mm = models.PositiveSmallIntegerField()
    skin_to_skin_minutes = models.PositiveSmallIntegerField()
    fluoroscopy_seconds = models.PositiveIntegerField(null=True, blank=True)
    fluoroscopy_dose_mgy = models.FloatField(null=True, blank=True)
    estimated_blood_loss_ml = models.PositiveIntegerField()
    events = models.JSONField(default=list)
    specimen = models.CharField(max_length=30, choices=_choices(v.SPECIMEN))
    closure = models.CharField(max_length=20, choices=_choices(v.CLOSURE))
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["technique", "operation_date"])]

    def __str__(self) -> str:
        return f"Operative record {self.operation_date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any write to a row that is already signed in the database.

        Services check first and give a friendly message; this is the backstop
        against any other code path (admin, shell, a future bug).
        """
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("signed_at", flat=True)
            if stored.first() is not None:
                raise SignedRecordError("a signed operative record cannot be changed")
        super().save(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    def label(self, field: str) -> str:
        """The display label of a choice field's value."""
        return str(getattr(self, f"get_{field}_display")())

    @property
    def event_labels(self) -> list[str]:
        return [v.EVENTS.get(e, e) for e in self.events]


class OperativeAddendum(models.Model):
    """A dated, signed correction or addition to a signed record. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.ForeignKey(OperativeRecord, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Addendum {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise SignedRecordError("an addendum cannot be changed")
        super().save(*args, **kwargs)


class Discharge(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="discharge")
    discharged_at = models.DateTimeField()
    same_day = models.BooleanField()
    first_walk_hours = models.FloatField()
    pain_at_discharge = models.PositiveSmallIntegerField()
    destination = models.CharField(max_length=30, choices=_choices(v.DESTINATION))
    follow_up_on = models.DateField(help_text="First clinic visit.")
    instructions_template = models.CharField(max_length=100)
    instructions_version = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Discharge {self.discharged_at:%Y-%m-%d}"
