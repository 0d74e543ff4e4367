"""The API's edge: over-large bodies get a JSON 413, odd text a JSON 422 naming the field,
and Django's HTML 404/405 (unknown path, wrong method) become the JSON envelope."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from endospine.api.errors import error_response
from endospine.core.text import first_field_problems, json_problems


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and self._too_large(request):
            limit = settings.API_MAX_BODY_BYTES
            return error_response(413, [("", f"the request body is larger than {limit} bytes")])
        if request.path.startswith("/api/"):
            found = first_field_problems(request.GET.lists()) + json_problems(request)
            if found:
                return error_response(422, found)
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code in (404, 405):
            return _as_json(response)
        return response

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return True
        if declared > settings.API_MAX_BODY_BYTES:
            return True
        try:
            request.body  # noqa: B018 - reading enforces DATA_UPLOAD_MAX_MEMORY_SIZE
        except RequestDataTooBig:
            return True
        return False


def _as_json(response: HttpResponse) -> HttpResponse:
    """Django's own 404 (no such path) and 405 (wrong method) pages, in the API's envelope."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response
    if response.status_code == 404:
        return error_response(404, [("", "no such API path")])
    allowed = response.get("Allow", "")
    refused = error_response(405, [("", f"method not allowed; allowed: {allowed}")])
    refused["Allow"] = allowed
    return refused
