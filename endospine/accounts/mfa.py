"""TOTP two-factor for staff, on django-otp."""

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from endospine.accounts.models import Role, User


def required_for(user: User) -> bool:
    return bool(settings.STAFF_REQUIRE_2FA) and user.role != Role.PATIENT


def needs_second_factor(request: HttpRequest) -> bool:
    """True for a signed-in staff member who has not passed TOTP in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not required_for(user):
        return False
    return not user.is_verified()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def device_confirm(*, device: TOTPDevice, request: HttpRequest) -> None:
    """Turn on an authenticator set up through the out-of-band link; audited."""
    from endospine.audit.models import AuditAction
    from endospine.audit.services import record

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(request=request, action=AuditAction.UPDATE, obj=device, detail="two-factor enrolled")
