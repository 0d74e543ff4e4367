"""Per-address rate limiting for the public endpoints (ask, evaluate, score).

A fixed one-minute window counted in Django's cache, which is shared by every
process and host: the database cache by default, Redis in production
(ENDOSPINE_CACHE_URL). Redis counts atomically. The database cache's
increment is a read then a write: on SQLite the transaction below serialises
it (writes take the lock up front); on PostgreSQL simultaneous requests may
each count once for the same old value, so a burst can overshoot the limit by
at most the number of requests in flight at that instant.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from endospine.audit.services import client_address


def allow(request: HttpRequest, scope: str) -> bool:
    window = int(time.time() // 60)
    key = f"rl:{scope}:{client_address(request)}:{window}"
    with transaction.atomic():
        if cache.add(key, 1, timeout=70):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=70)
            return True
    return count <= settings.RATE_LIMIT_PER_MINUTE


MESSAGE = "Too many requests; try again in a minute."


def too_many(request: HttpRequest) -> HttpResponse:
    """JSON for API clients, a readable page (with the emergency number) for people."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"errors": [{"field": "", "message": MESSAGE}]}, status=429)
    else:
        response = render(request, "core/429.html", {"message": MESSAGE}, status=429)
    response["Retry-After"] = "60"
    return response


def rate_limited(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view (page or API) so each address gets RATE_LIMIT_PER_MINUTE calls."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not allow(request, scope):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
