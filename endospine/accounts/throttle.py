"""Sign-in throttling that cools off by itself.

After LOGIN_FAILURE_LIMIT failures for one account within
LOGIN_COOLOFF_SECONDS, that account is refused until the oldest failure ages
out: a guesser can slow a patient down but never lock them out for good. An
address that fails across many accounts is throttled the same way.

Every way to sign in (the sign-in page, the admin's, which sends people to
it) goes through here. Failures are counted under a key, not the typed text:
the account's id when the typed name or e-mail names one (so username and
e-mail share one count), else a keyed hash of what was typed (which may be a
password typed in the wrong box, so it is never stored as typed).
"""

import hmac
from datetime import datetime, timedelta

from django.conf import settings

from endospine.accounts.models import LoginFailure, User
from endospine.core import clock

ADDRESS_FACTOR = 4  # an address may fail across usernames a few times more


def key_for(typed: str, user: User | None) -> str:
    if user is not None:
        return f"user:{user.pk}"
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.strip().lower().encode(), "sha256")
    return f"typed:{digest.hexdigest()[:32]}"


def _window_start() -> datetime:
    return clock.now() - timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)


def locked_until(key: str, address: str | None) -> datetime | None:
    """When a sign-in may be tried again, or None when it may be tried now."""
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    by_key = list(recent.filter(username=key).order_by("-at").values_list("at", flat=True)[:limit])
    waits = []
    if len(by_key) >= limit:
        waits.append(by_key[-1])
    if address:
        by_address = list(
            recent.filter(address=address)
            .order_by("-at")
            .values_list("at", flat=True)[: limit * ADDRESS_FACTOR]
        )
        if len(by_address) >= limit * ADDRESS_FACTOR:
            waits.append(by_address[-1])
    if not waits:
        return None
    return max(waits) + timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)


def note_failure(key: str, address: str | None) -> LoginFailure:
    return LoginFailure.objects.create(username=key, address=address, at=clock.now())


def clear(key: str) -> None:
    LoginFailure.objects.filter(username=key).delete()
