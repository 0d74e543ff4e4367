"""SMART App Launch v2 scopes, parsed and checked with no Django imports.

A scope is `<context>/<resource type or *>.<permissions>`, for example
`patient/*.rs`, `user/Observation.rs` or `system/*.rs`. Permissions are the v2
letters c, r, u, d, s in that order; the v1 forms `read`, `write` and `*` are
accepted too (read = rs, write = cud, * = cruds). Anything else is refused when
a token is created, so a typo never grants less (or more) than was meant.
"""

import re
from dataclasses import dataclass

CONTEXTS = ("patient", "user", "system")
_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$")
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_ORDER = "cruds"


class ScopeError(ValueError):
    """A scope string that is not a SMART v2 (or v1) resource scope."""


@dataclass(frozen=True)
class Scope:
    context: str
    resource: str  # a resource type, or "*"
    permissions: frozenset[str]

    def grants(self, resource: str, permission: str) -> bool:
        return self.resource in ("*", resource) and permission in self.permissions


def _permissions(text: str, raw: str) -> frozenset[str]:
    letters = _V1.get(text, text)
    positions = [_ORDER.find(letter) for letter in letters]
    if not letters or -1 in positions or positions != sorted(set(positions)):
        raise ScopeError(f"{raw!r}: permissions must be some of c, r, u, d, s in that order")
    return frozenset(letters)


def parse(text: str) -> list[Scope]:
    """Every scope in a space-separated list; raises ScopeError on the first bad one."""
    scopes = []
    for raw in text.split():
        match = _SCOPE.match(raw)
        if match is None:
            raise ScopeError(f"{raw!r} is not a SMART scope such as 'user/*.rs'")
        context, resource, perms = match.groups()
        scopes.append(Scope(context, resource, _permissions(perms, raw)))
    return scopes


def allows(scopes: list[Scope], resource: str, permission: str) -> bool:
    """True when any scope grants the permission on the resource type."""
    return any(scope.grants(resource, permission) for scope in scopes)


def contexts(scopes: list[Scope]) -> set[str]:
    return {scope.context for scope in scopes}
