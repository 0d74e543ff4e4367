"""Sign-in throttling that cools off by itself.

After LOGIN_FAILURE_LIMIT failures for one username within
LOGIN_COOLOFF_SECONDS, that username is refused until the oldest failure ages
out: a guesser can slow a patient down but never lock them out for good. An
address that fails across many usernames is throttled the same way.
"""

from datetime import timedelta

from django.conf import settings

from endospine.accounts.models import LoginFailure
from endospine.core import clock

ADDRESS_FACTOR = 4  # an address may fail across usernames a few times more


def _window_start() -> object:
    return clock.now() - timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)


def seconds_locked(username: str, address: str | None) -> int:
    """How long until a sign-in may be tried again (0 when allowed)."""
    start = _window_start()
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=start)
    by_user = list(
        recent.filter(username=username.lower())
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    waits = []
    if len(by_user) >= limit:
        waits.append(by_user[-1])
    if address:
        by_address = list(
            recent.filter(address=address)
            .order_by("-at")
            .values_list("at", flat=True)[: limit * ADDRESS_FACTOR]
        )
        if len(by_address) >= limit * ADDRESS_FACTOR:
            waits.append(by_address[-1])
    if not waits:
        return 0
    oldest_blocking = max(waits)
    unlock_at = oldest_blocking + timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)
    return max(1, int((unlock_at - clock.now()).total_seconds()))


def note_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address, at=clock.now())


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
