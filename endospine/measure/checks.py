"""System check: the registry files must load, or `check`/`migrate`/`runserver` stop."""

from typing import Any

from django.core.checks import CheckMessage, Error, register

from endospine.measure.registry import RegistryFileError


@register()
def registry_files_are_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from endospine.measure import content

    content.clear()
    try:
        content.definitions()
        content.event_types()
    except RegistryFileError as exc:
        return [Error(str(exc), hint="Fix content/registry/*.yaml", id="measure.E001")]
    return []
