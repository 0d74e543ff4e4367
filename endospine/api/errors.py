"""One error envelope for the whole API: {"errors": [{"field", "message", "code"}]}.

`code` is stable and meant for programs: `required`, `invalid`, `too_long`,
`unknown_field`, `malformed`, `unauthenticated`, `forbidden`, `not_found`,
`method_not_allowed`, `conflict`, `too_large`, `rate_limited`, `unavailable`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from endospine.core.errors import DomainError

# Parts of a pydantic location that name where a value came from, not the field.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "form", "payload", "data"}


STATUS_CODES = {
    400: "malformed",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    503: "unavailable",
}
# pydantic error types -> our codes; anything else is "invalid".
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "extra_forbidden": "unknown_field",
}


def error_response(
    status: int, errors: list[tuple[str, str]] | list[tuple[str, str, str]]
) -> JsonResponse:
    """The envelope; each error is (field, message) or (field, message, code)."""
    default = STATUS_CODES.get(status, "error")
    body = {
        "errors": [
            {"field": e[0], "message": e[1], "code": e[2] if len(e) > 2 else default}
            for e in errors
        ]
    }
    return JsonResponse(body, status=status)


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in location]
    while parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
    return ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        (
            _field_name(e.get("loc", ())),
            _message(e),
            _PYDANTIC_CODES.get(e.get("type", ""), "invalid"),
        )
        for e in exc.errors
    ]
    return error_response(422, errors or [("", "invalid request", "invalid")])


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    code = exc.code or STATUS_CODES.get(exc.status, "invalid")
    return error_response(exc.status, [(field, message, code) for field, message in exc.errors])


def on_authentication_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(401, [("", "sign in or send a valid bearer token")])


def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(403, [("", "you may not do this")])


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, [("", "not found")])


def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database is restarting or unreachable: tell clients to retry, in JSON."""
    response = error_response(
        503, [("", "the service is briefly unavailable; retry the same request")]
    )
    response["Retry-After"] = "2"
    return response


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(exc.status_code, [("", str(exc))])


HANDLERS: list[tuple[type[Exception], Any]] = [
    (ValidationError, on_validation_error),
    (DomainError, on_domain_error),
    (AuthenticationError, on_authentication_error),
    (PermissionDenied, on_permission_denied),
    (Http404, on_not_found),
    (HttpError, on_http_error),
    (OperationalError, on_database_unavailable),
    (InterfaceError, on_database_unavailable),
]
