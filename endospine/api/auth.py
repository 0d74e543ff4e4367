"""API authentication: a bearer token for clients, the session for our own pages."""

import copy
import threading
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from endospine.accounts.models import ApiToken, User, hash_token

# The last-used stamp is written at most this often per token.
STAMP_EVERY = timedelta(minutes=1)
_CACHE_LIMIT = 10_000

# digest -> (monotonic expiry, user): a short-lived per-process memory of
# tokens, so a client sending several requests in a row costs one lookup.
# Bounded by settings.API_TOKEN_CACHE_SECONDS (revocation delay, documented).
_cache: dict[str, tuple[float, User]] = {}
_cache_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop this process's memory of tokens (tests; after a revocation in-process)."""
    with _cache_lock:
        _cache.clear()


def _lookup_postgres(digest: str, now: Any) -> User | None:
    # One statement (one round trip, no transaction of its own): the user of
    # an active token, and the token's last-used stamp when it is over a
    # minute old. The UPDATE touches no row otherwise, so it writes nothing.
    token, user = ApiToken._meta.db_table, User._meta.db_table
    sql = f"""
        WITH touched AS (
            UPDATE {token} SET last_used_at = %s
            WHERE digest = %s AND revoked_at IS NULL
              AND (last_used_at IS NULL OR last_used_at < %s)
            RETURNING id
        )
        SELECT u.* FROM {user} u JOIN {token} t ON t.user_id = u.id
        WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active
    """  # noqa: S608 (table names come from our models; values are parameters)
    found = list(User.objects.raw(sql, [now, digest, now - STAMP_EVERY, digest]))
    return found[0] if found else None


def _lookup_other(digest: str, now: Any) -> User | None:
    # SQLite has no UPDATE inside WITH; it has no round trips either.
    found = ApiToken.find_by_digest(digest)
    if found is None or not found.user.is_active:
        return None
    if found.last_used_at is None or now - found.last_used_at > STAMP_EVERY:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


def user_for_token(raw: str) -> User | None:
    """The active user of an active token, remembered briefly by this process."""
    digest = hash_token(raw)
    ttl = settings.API_TOKEN_CACHE_SECONDS
    with _cache_lock:
        hit = _cache.get(digest)
    if hit is not None and hit[0] > time.monotonic():
        return copy.copy(hit[1])  # each request gets its own instance
    now = timezone.now()
    lookup = _lookup_postgres if connection.vendor == "postgresql" else _lookup_other
    user = lookup(digest, now)
    if user is not None and ttl:
        with _cache_lock:
            if len(_cache) >= _CACHE_LIMIT:
                _cache.clear()
            _cache[digest] = (time.monotonic() + ttl, copy.copy(user))
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class VerifiedSession(SessionAuth):
    """The signed-in session, only once a staff member has passed two-factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from endospine.accounts.mfa import needs_second_factor

        user = super().authenticate(request, key)
        if user is None or needs_second_factor(request):
            return None
        return user


AUTH = [BearerToken(), VerifiedSession()]
