"""The alert badge every staff page shows in its menu, and how often pages poll."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from endospine.access import signed_in


def alert_badge(request: HttpRequest) -> dict[str, Any]:
    user = signed_in(getattr(request, "user", None))  # type: ignore[arg-type]
    context: dict[str, Any] = {"poll_seconds": settings.ALERT_POLL_SECONDS}
    if user is not None and user.is_care_staff:
        from endospine.recover.selectors import alert_badge as badge

        # Lazy: costs its one query only on a page that shows the menu.
        context["alert_badge"] = SimpleLazyObject(lambda: badge(user))
    return context
