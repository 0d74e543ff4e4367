"""The one check every text input passes: no lone surrogates, no NUL, no control characters.

A lone UTF-16 surrogate ("x\\ud800") cannot be encoded, so it breaks a page or
a PDF the moment it is shown; PostgreSQL refuses NUL in text outright; other
C0 control characters have no place in a clinical note. Tab, newline and
carriage return are allowed. The JSON API applies this to every string of
every body and query (`endospine.api.middleware`), pages to every submitted
field (`TextCheckMiddleware`), before any view runs: a new schema, form or
page is covered without opting in, and nothing is stored.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def text_problem(value: str) -> str | None:
    """Why this text is refused, or None when it is fine."""
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return _("contains a character that is not valid text (a lone surrogate)")
        if (code < 0x20 and char not in _ALLOWED_CONTROLS) or code == 0x7F:
            return _("contains a control character (such as NUL) that is not allowed")
    return None


def problems(
    data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(location, reason) for every refused string in nested JSON-like data, keys included."""
    if isinstance(data, str):
        reason = text_problem(data)
        if reason:
            yield path, reason
    elif isinstance(data, dict):
        for key, value in data.items():
            key_text = str(key)
            if text_problem(key_text):
                yield (*path, "(key)"), _("a field name is not valid text")
                continue
            yield from problems(value, (*path, key_text))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from problems(value, (*path, index))


def first_field_problems(pairs: Iterable[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """(field, reason) for submitted form fields (a QueryDict's lists)."""
    found = []
    for name, values in pairs:
        for value in values:
            reason = text_problem(value) or text_problem(name)
            if reason:
                found.append((name if not text_problem(name) else "", reason))
                break
    return found


def json_problems(request: HttpRequest) -> list[tuple[str, str]]:
    """(field, reason) for a JSON body; malformed JSON is left to the API's own 400."""
    if not request.body or "json" not in (request.content_type or ""):
        return []
    try:
        data = json.loads(request.body)
    except ValueError:
        return []
    return [(".".join(str(p) for p in loc), reason) for loc, reason in problems(data)]


class TextCheckMiddleware:
    """Refuse a page request holding refused text with 422, naming the field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)  # the API answers in JSON: api.middleware
        found = first_field_problems(request.GET.lists())
        if request.method == "POST" and "json" not in (request.content_type or ""):
            found += first_field_problems(request.POST.lists())
        if found:
            context = {"problems": found}
            return render(request, "core/refused_text.html", context, status=422)
        return self.get_response(request)
