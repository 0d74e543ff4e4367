"""The registry files under content/registry/, loaded once per process."""

import functools
from pathlib import Path

from django.conf import settings

from endospine.measure.registry import Definition, EventType, load_definitions, load_events


def _directory() -> Path:
    return settings.CONTENT_DIR / "registry"


@functools.cache
def definitions() -> tuple[str, dict[str, Definition]]:
    """(default code, every definition by code)."""
    return load_definitions(_directory())


@functools.cache
def event_types() -> dict[str, EventType]:
    return load_events(_directory())


def definition(code: str | None) -> Definition | None:
    default, by_code = definitions()
    return by_code.get(code or default)


def clear() -> None:
    definitions.cache_clear()
    event_types.cache_clear()
