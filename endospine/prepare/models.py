"""An episode's preparation checklist and its items.

Items are copied from the site's template when the checklist is generated, so
a later edit of the template never changes a checklist already handed to a
patient; the checklist keeps which template and version it came from. Due
dates are not stored: they follow the episode's surgery date (`due_days`
before or after it), so moving the operation moves every due date.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.journey.models import Episode
from endospine.prepare.spec import due_date


class Owner(models.TextChoices):
    PATIENT = "patient", "Patient"
    STAFF = "staff", "Care team"


class ItemState(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    VERIFIED = "verified", "Verified"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Checklist(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="checklist")
    template_site = models.CharField(max_length=50)
    template_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Checklist {self.template_site} v{self.template_version}"


class ChecklistItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=60)
    title = models.CharField(max_length=120)
    patient_text = models.TextField()
    owner = models.CharField(max_length=10, choices=Owner.choices)
    due_days = models.SmallIntegerField(help_text="Days from the surgery date; negative is before.")
    required = models.BooleanField(default=True)
    records_stop_date = models.BooleanField(default=False)
    auto = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=20, choices=ItemState.choices, default=ItemState.OPEN)
    # The prescriber's date to stop a blood thinner, recorded at the medication review.
    stop_date = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="unique_item_code"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == ItemState.OPEN

    def due_on(self, surgery_date: date | None) -> date | None:
        return due_date(surgery_date, self.due_days)
