"""Bearer tokens: remembered briefly per process, last-used stamp at most once a minute."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from endospine.accounts.models import ApiToken
from endospine.api.auth import forget_tokens

API = "/api/v1/episodes"


def test_the_last_used_stamp_is_written_at_most_once_a_minute(cast: Any) -> None:
    forget_tokens()
    token, raw = ApiToken.issue(cast.nurse)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    forget_tokens()  # a fresh lookup, 0 s later: no new stamp
    assert client.get(API).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    forget_tokens()
    assert client.get(API).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first - timedelta(seconds=1)


def test_a_revoked_token_is_refused_once_the_memory_expires(cast: Any, settings: Any) -> None:
    forget_tokens()
    token, raw = ApiToken.issue(cast.nurse)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    # Still remembered by this process (up to API_TOKEN_CACHE_SECONDS) ...
    assert client.get(API).status_code == 200
    forget_tokens()  # ... until the memory expires
    assert client.get(API).status_code == 401


def test_with_no_memory_every_request_checks_the_token(cast: Any, settings: Any) -> None:
    settings.API_TOKEN_CACHE_SECONDS = 0
    forget_tokens()
    _, raw = ApiToken.issue(cast.nurse)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API).status_code == 200
    cast.nurse.is_active = False
    cast.nurse.save()
    assert client.get(API).status_code == 401
