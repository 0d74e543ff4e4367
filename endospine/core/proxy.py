"""The client's address behind a load balancer, for the audit trail and rate limits.

`endospine serve` sees the load balancer's address as REMOTE_ADDR. When the
request comes from one of ENDOSPINE_TRUSTED_PROXIES, the client is the
rightmost X-Forwarded-For entry that is not itself a trusted proxy (entries to
its left were written by the client and prove nothing). From any other
address the header is ignored, so a client cannot choose its own address.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = next((h for h in reversed(hops) if h and h not in self.trusted), None)
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
