"""The request being served, so that the access hook can audit what it fetches.

`AccessMiddleware` stores the request in a context variable for the length of
one request. The policy reads it to write the read-audit and refusal rows
without every view passing the request along. Outside a request (the worker,
management commands, tests calling services) there is no request and the
hook writes nothing.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("endospine_access_request", default=None)


def current_request() -> HttpRequest | None:
    return _request.get()


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
