"""Choosing the language of the pages: saved on the person, and in a cookie for visitors.

A patient's saved language also decides what is sent to them in the background
(reminders, alert copies, the discharge PDF), where there is no browser to ask.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from endospine.accounts.models import User


def _supported() -> set[str]:
    """The languages switched on now (ENDOSPINE_LANGUAGES), read at call time."""
    return {code for code, _ in settings.LANGUAGES}


def user_set_language(*, user: User, language: str) -> None:
    """Save the person's language (one of settings.LANGUAGES)."""
    if language not in _supported():
        raise ValueError(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language and go back where the person was (only to this site)."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in _supported():
        return response
    if request.user.is_authenticated and isinstance(request.user, User):
        user_set_language(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
