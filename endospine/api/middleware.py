"""Before any API view: over-large bodies get a JSON 413, odd text a JSON 422 naming the field."""

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
        return self.get_response(request)

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
