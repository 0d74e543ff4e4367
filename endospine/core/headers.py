"""Response headers that the CSP middleware does not set.

- Permissions-Policy: EndoSpine uses no camera, microphone, location,
  payment or USB, so no page (nor anything injected into one) may ask.
- Cache-Control: no-store on every response to a signed-in user or an API
  client: a shared computer's browser cache or a proxy must not keep
  patient data. Public pages (library, sign-in) and static files may be cached.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "interest-cohort",
    )
)  # fmt: skip


def carries_private_data(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or "HTTP_AUTHORIZATION" in request.META
        or request.path.startswith("/api/")
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if carries_private_data(request):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response
