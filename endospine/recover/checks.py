"""System check recover.W001: every site has an on-call contact that alerts can reach.

Without one, an alert raised while the assigned nurse is away reaches nobody,
while the patient is told that the care team has been alerted. A warning (not
an error) so that a fresh install can still migrate and create its sites; the
alerts page shows the same gap in red to the staff of that site.
"""

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError


def sites_without_on_call() -> list[str]:
    from endospine.accounts.models import Site

    return [
        site.slug
        for site in Site.objects.only("slug", "on_call_phone", "on_call_email")
        if not site.has_on_call
    ]


@register()
def every_site_has_on_call(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        missing = sites_without_on_call()
    except DatabaseError:
        return []  # not migrated yet: nothing to check
    return [
        Warning(
            f"site '{slug}' has no on-call phone or e-mail: alerts may reach nobody",
            hint="Set Site.on_call_phone and/or Site.on_call_email (Django admin, Sites).",
            id="recover.W001",
        )
        for slug in missing
    ]


@register()
def staff_words_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from endospine.recover.staff_words import StaffWordsError, staff_words

    staff_words.cache_clear()
    try:
        staff_words()
    except (StaffWordsError, OSError, ValueError) as exc:
        return [Error(str(exc), hint="Fix content/recover/staff_words.yaml", id="recover.E002")]
    return []
