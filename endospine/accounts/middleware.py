"""Session expiry and the staff two-factor gate."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation

from endospine.accounts.mfa import confirmed_device, needs_second_factor

_TOUCH_EVERY = 60  # seconds: avoid a session write on every request


class SessionExpiryMiddleware:
    """Sign out after SESSION_IDLE_SECONDS idle or SESSION_COOKIE_AGE since sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._expired(request):
            logout(request)
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> bool:
        now = int(time.time())
        session = request.session
        started = session.setdefault("signed_in_at", now)
        last_seen = session.get("last_seen", now)
        if now - started > settings.SESSION_COOKIE_AGE:
            return True
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            return True
        if now - last_seen >= _TOUCH_EVERY or "last_seen" not in session:
            session["last_seen"] = now
        return False


_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/", "/learn/")


class StaffTwoFactorMiddleware:
    """Staff who signed in with a password must pass TOTP before any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request) and not request.path.startswith(_OPEN_PREFIXES):
            user = request.user
            target = "accounts:verify" if confirmed_device(user) else "accounts:setup_2fa"  # type: ignore[arg-type]
            return redirect(target)
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's chosen language wins over the browser's (after LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if chosen and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.headers.setdefault("Content-Language", chosen)
        return response
