"""Sites, people and their roles.

A site is a clinic or hospital. Staff belong to one or more sites through
Membership; a patient belongs to exactly one site through their Patient record
(see endospine.journey.models.Patient).
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class Site(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    emergency_number = models.CharField(
        max_length=20,
        default=settings.DEFAULT_EMERGENCY_NUMBER,
        help_text="The public emergency number patients of this site call (911, 999, 112...).",
    )
    care_team_phone = models.CharField(max_length=40, help_text="The care team's phone number.")
    # Who is woken when an alert is raised or escalated, whoever is assigned:
    # checked by the system check recover.W001 and shown in red on the alerts page.
    on_call_phone = models.CharField(
        max_length=40, blank=True, help_text="The on-call clinician's mobile, for alert SMS."
    )
    on_call_email = models.EmailField(
        blank=True, help_text="The on-call clinician's (or team's) e-mail, for alerts."
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    settings = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per-site clinical settings (check-in days, alert escalation minutes...).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_on_call(self) -> bool:
        return bool(self.on_call_phone.strip() or self.on_call_email.strip())


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    SURGEON = "surgeon", "Surgeon"
    NURSE = "nurse", "Nurse"
    COORDINATOR = "coordinator", "Coordinator"
    PROGRAM_LEAD = "program_lead", "Program lead"
    ADMIN = "admin", "Administrator"


STAFF_ROLES = frozenset({Role.SURGEON, Role.NURSE, Role.COORDINATOR, Role.PROGRAM_LEAD, Role.ADMIN})
CLINICAL_ROLES = frozenset({Role.SURGEON, Role.NURSE, Role.COORDINATOR})


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)
    sites = models.ManyToManyField(Site, through="Membership", related_name="staff", blank=True)
    # The language of this person's pages and of what is sent to them in the
    # background (reminders, alerts, PDFs); blank follows the browser.
    language = models.CharField(
        max_length=8, choices=settings.SUPPORTED_LANGUAGES, blank=True, default=""
    )
    # Staff only: alerts reach them by SMS as well as e-mail.
    phone = models.CharField(max_length=40, blank=True)
    # Part of the session hash: raising it signs the user out everywhere at
    # once (ASVS 7.4.5), whatever the session backend, with no extra query.
    session_epoch = models.PositiveIntegerField(default=0)

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_care_staff(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "endospine.accounts.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "site"], name="unique_membership")]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # SMART v2 scopes for the FHIR API (e.g. "user/*.rs"); empty means no FHIR
    # access, and /api/v1 ignores it (tokens made before FHIR keep working there).
    scope = models.CharField(max_length=500, blank=True, default="")

    objects = ApiTokenQuerySet.as_manager()

    @classmethod
    def issue(cls, user: User, name: str = "", scope: str = "") -> tuple["ApiToken", str]:
        raw = "es_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:8], digest=hash_token(raw), scope=scope
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> "ApiToken | None":
        return cls.find_by_digest(hash_token(raw))

    @classmethod
    def find_by_digest(cls, digest: str) -> "ApiToken | None":
        return cls.objects.active().select_related("user").filter(digest=digest).first()


class LoginFailure(models.Model):
    """One failed sign-in, counted per username and per address for throttling."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class LinkPurpose(models.TextChoices):
    SET_PASSWORD = "set_password", "Choose a password"
    ENROL_2FA = "enrol_2fa", "Set up two-factor sign-in"


class LinkChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"


class SentLink(models.Model):
    """That a one-time link went to a person: when, how and to a masked address.

    The link itself is never stored: only its owner can use it, and staff see
    only that it was sent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sent_links")
    purpose = models.CharField(max_length=20, choices=LinkPurpose.choices)
    channel = models.CharField(max_length=10, choices=LinkChannel.choices)
    masked_to = models.CharField(max_length=80)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
