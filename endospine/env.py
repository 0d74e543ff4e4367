"""Typed readers for configuration from the environment (12-factor).

Each reader fails loudly on a malformed value: a typo in production
configuration must stop the server, not silently fall back to a default.

Every variable may instead be given as `NAME_FILE`, the path of a file that
holds the value (Docker and Kubernetes secrets, systemd credentials), so a
secret need not sit in the process environment. Setting both is an error.

Reading has no side effect: nothing here creates a file or a directory.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Every name read through these helpers, for the README's table test.
READ: set[str] = set()


def _get(name: str) -> str | None:
    READ.add(name)
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if path is None:
        return value
    if value is not None:
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    try:
        return Path(path).read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc.strerror}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    value = _get(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    raw = _get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = _get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_float(name: str, default: float) -> float:
    raw = _get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
