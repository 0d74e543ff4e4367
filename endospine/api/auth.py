"""API authentication: a bearer token for clients, the session for our own pages."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from endospine.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find(token)
        if found is None or not found.user.is_active:
            return None
        # Touch at most once a minute: a write per request would serialise readers.
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class VerifiedSession(SessionAuth):
    """The signed-in session, only once a staff member has passed two-factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from endospine.accounts.mfa import needs_second_factor

        user = super().authenticate(request, key)
        if user is None or needs_second_factor(request):
            return None
        return user


AUTH = [BearerToken(), VerifiedSession()]
