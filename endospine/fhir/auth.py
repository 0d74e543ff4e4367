"""Who is calling the FHIR API: a bearer token, its user and its SMART scopes.

The FHIR API takes bearer tokens only (no session cookies: it is for other
systems and apps, and a cookie would make it open to cross-site requests). A
token without scopes was made for /api/v1 and has no FHIR access.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from endospine.accounts.models import ApiToken, User
from endospine.fhir import scopes
from endospine.fhir.outcome import FhirError, Issue

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="fhir"'}


@dataclass(frozen=True)
class Caller:
    user: User
    token: ApiToken
    scopes: list[scopes.Scope]

    def require(self, resource: str, permission: str) -> None:
        """403 unless a scope of the token grants the permission on the type."""
        if not scopes.allows(self.scopes, resource, permission):
            raise FhirError.one(
                "forbidden",
                gettext("the token's scopes do not allow '%(permission)s' on %(resource)s")
                % {"permission": permission, "resource": resource},
            )

    def may(self, resource: str, permission: str) -> bool:
        return scopes.allows(self.scopes, resource, permission)


def authenticate(request: HttpRequest) -> Caller:
    """The calling token's user and scopes, or a 401/403 OperationOutcome."""
    header = request.headers.get("Authorization", "")
    kind, _, raw = header.partition(" ")
    if kind.lower() != "bearer" or not raw.strip():
        raise FhirError(
            [Issue("login", gettext("send Authorization: Bearer <token>"))], 401, _CHALLENGE
        )
    token = ApiToken.find(raw.strip())
    if token is None or not token.user.is_active:
        raise FhirError(
            [Issue("login", gettext("the token is unknown or revoked"))], 401, _CHALLENGE
        )
    try:
        parsed = scopes.parse(token.scope)
    except scopes.ScopeError:
        parsed = []
    if not parsed:
        raise FhirError.one(
            "forbidden", gettext("this token has no FHIR scopes; create one with --scope")
        )
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.user = token.user
    return Caller(user=token.user, token=token, scopes=parsed)
