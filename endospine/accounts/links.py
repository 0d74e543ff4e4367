"""One-time links sent to a person's own e-mail or phone, never shown to anyone else.

- set a password: a new patient's first link, a locked-out patient's new one,
  "forgot password" (Django's password-reset tokens: one use, and void once
  the password changes);
- set up two-factor sign-in: a staff member's enrolment link, so a stolen
  password alone cannot enrol the thief's authenticator.

Each sending leaves a `SentLink` row (when, channel, masked address) and an
audit row; the link itself is stored nowhere.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from endospine.accounts.models import LinkChannel, LinkPurpose, SentLink, User
from endospine.audit.models import AuditAction
from endospine.audit.services import record
from endospine.core.masking import mask_email, mask_phone
from endospine.core.sms import send_sms


class EnrolmentTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token, but void once an authenticator is confirmed."""

    key_salt = "endospine.accounts.links.EnrolmentTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).count()
        return f"{super()._make_hash_value(user, timestamp)}{confirmed}"


enrolment_tokens = EnrolmentTokenGenerator()
_GENERATORS: dict[str, PasswordResetTokenGenerator] = {
    LinkPurpose.SET_PASSWORD: default_token_generator,
    LinkPurpose.ENROL_2FA: enrolment_tokens,
}
_URL_NAMES: dict[str, str] = {
    LinkPurpose.SET_PASSWORD: "accounts:set_password",
    LinkPurpose.ENROL_2FA: "accounts:enrol_2fa",
}


@dataclass(frozen=True)
class Contact:
    email: str
    phone: str


def contact_of(user: User) -> Contact:
    """Where a person can be reached: their account e-mail, else their patient record's."""
    patient = getattr(user, "patient", None)
    email = user.email or (patient.email if patient else "")
    phone = patient.phone if patient else getattr(user, "phone", "")
    return Contact(email=email or "", phone=phone or "")


def link_path(user: User, purpose: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = _GENERATORS[purpose].make_token(user)
    return reverse(_URL_NAMES[purpose], kwargs={"uidb64": uid, "token": token})


def _absolute(path: str, request: HttpRequest | None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path) if request else path


def _message(purpose: str, link: str, user: User) -> tuple[str, str]:
    if purpose == LinkPurpose.ENROL_2FA:
        return (
            _("Set up two-factor sign-in"),
            _(
                "Open this link on the device where you are signing in to set up"
                " two-factor sign-in for %(username)s: %(link)s\n"
                "If you did not try to sign in, tell your administrator."
            )
            % {"username": user.username, "link": link},
        )
    return (
        _("Choose your EndoSpine password"),
        _(
            "Your username is %(username)s. Choose your password here (the link works once): "
            "%(link)s\nIf you did not ask for this, you can ignore it."
        )
        % {"username": user.username, "link": link},
    )


def link_send(
    *, user: User, purpose: str, request: HttpRequest | None, actor: User | None = None
) -> SentLink | None:
    """Send a one-time link to the person's own e-mail (else phone); None if neither.

    The message leaves after the transaction commits, so a rolled-back
    registration sends nothing.
    """
    contact = contact_of(user)
    if contact.email:
        channel, masked = LinkChannel.EMAIL, mask_email(contact.email)
    elif contact.phone:
        channel, masked = LinkChannel.SMS, mask_phone(contact.phone)
    else:
        return None
    subject, body = _message(purpose, _absolute(link_path(user, purpose), request), user)
    if channel == LinkChannel.EMAIL:
        transaction.on_commit(lambda: send_mail(subject, body, None, [contact.email]))
    else:
        transaction.on_commit(lambda: send_sms(contact.phone, body))
    sent = SentLink.objects.create(
        user=user, purpose=purpose, channel=channel, masked_to=masked, sent_by=actor
    )
    patient = getattr(user, "patient", None)
    record(
        request=request,
        action=AuditAction.CREATE,
        obj=sent,
        patient_id=patient.pk if patient else None,
        actor=actor,
        detail=f"{purpose} link by {channel}",
    )
    return sent


def last_sent(user: User, purpose: str = LinkPurpose.SET_PASSWORD) -> SentLink | None:
    return SentLink.objects.filter(user=user, purpose=purpose).first()
