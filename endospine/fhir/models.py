"""What the FHIR API stores of its own: referrals, client identifiers, bulk exports.

Everything else it serves is read from the steps' own records.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from endospine.journey.models import Episode


class Referral(models.Model):
    """The coded problem and identifiers a referral Bundle brought with an episode.

    Codes only (the EHR's Condition coding, levels, side): never free text.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="fhir_referral")
    condition_coding = models.JSONField(default=list)
    levels = models.JSONField(default=list)
    side = models.CharField(max_length=20, blank=True)
    service_code = models.CharField(max_length=60)
    received_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)


class ClientIdentifier(models.Model):
    """A client's identifier for a resource it created, so a retry finds the first one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource_type = models.CharField(max_length=40)
    system = models.CharField(max_length=300)
    value = models.CharField(max_length=200)
    target = models.UUIDField(help_text="The id of the resource it names.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "system", "value"], name="unique_client_identifier"
            )
        ]


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class ExportJob(models.Model):
    """One Bulk Data $export request, run by the worker."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    site = models.ForeignKey(
        "accounts.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=1000)
    status = models.CharField(max_length=12, choices=ExportStatus.choices)
    progress = models.CharField(max_length=60, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)


class ExportFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="files")
    resource_type = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=500)
