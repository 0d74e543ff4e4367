"""Every operation of the OpenAPI document, fed bad input by every kind of caller.

The project rule: bad input gets a clear JSON error naming the field
(400/401/403/404/413/422/429), never a 500, and nothing is half-stored.

The operations come from /api/v1/openapi.json itself, so a new endpoint is
covered the day it is added. Each one is called as Dr Sam (a surgeon of the
episode's site), as Pat (the episode's patient) and anonymously, with
malformed JSON, an empty object, every declared property set to a wrong type
plus an unknown property, an over-large body and wrongly typed query
parameters. Row counts of every model are taken around each request: a
refused request must not leave a row behind. All failures are collected and
reported together, each with the operation, the caller and the body sent.
"""

import json
import re
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from endospine.accounts.models import ApiToken

API = "/api/v1"
ALLOWED_ERRORS = {400, 401, 403, 404, 413, 422, 429}
WRITE_METHODS = {"post", "put", "patch"}
MALFORMED = ["{", "[1,2]", "null", '"x"']
UNKNOWN = "unexpected_property"

# Rows that a refused request may legitimately write: the audit trail, sessions,
# background task results, token bookkeeping and sign-in throttling.
EXCLUDED_MODELS = {
    "audit.auditevent",
    "sessions.session",
    "accounts.apitoken",
    "accounts.loginfailure",
}
EXCLUDED_APPS = {"django_tasks_db"}  # by package name (its label is django_tasks_database)


@dataclass
class Call:
    operation: str  # "POST /api/v1/episodes/{episode_id}/stage"
    role: str
    url: str
    method: str
    kind: str  # which bad input: "malformed", "empty", "wrong types", ...
    body: str | None = None
    query: dict[str, Any] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)

    def describe(self) -> str:
        sent = ""
        if self.body is not None:
            shown = self.body if len(self.body) <= 300 else f"<{len(self.body)} bytes>"
            sent = f" body={shown}"
        if self.query:
            sent += f" query={self.query}"
        return (
            f"{self.operation} as {self.role} [{self.kind}] {self.method.upper()} {self.url}{sent}"
        )


# -- the OpenAPI document -------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema


def _types(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    schema = _resolve(schema, components)
    if "anyOf" in schema or "oneOf" in schema:
        found: set[str] = set()
        for option in schema.get("anyOf", schema.get("oneOf", [])):
            found |= _types(option, components)
        return found - {"null"}
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind) - {"null"}
    if kind:
        return {kind}
    if "properties" in schema:
        return {"object"}
    if "enum" in schema:
        return {"string"}
    return set()


def wrong_value(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value of the wrong type: strings for numbers, numbers for strings, lists for objects."""
    kinds = _types(schema, components)
    if kinds & {"integer", "number"}:
        return "not-a-number"
    if "boolean" in kinds:
        return "not-a-boolean"
    if "object" in kinds:
        return [1, 2]
    if "array" in kinds:
        return {"not": "a list"}
    if "string" in kinds:
        return 12345
    return [1, 2]


def body_properties(operation: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if not schema:
        return {}
    return _resolve(schema, components).get("properties", {})


def wrong_query(schema: dict[str, Any], components: dict[str, Any]) -> str:
    kinds = _types(schema, components)
    resolved = _resolve(schema, components)
    options = [resolved, *resolved.get("anyOf", [])]
    if kinds & {"integer", "number"}:
        return "not-a-number"
    if "boolean" in kinds:
        return "not-a-boolean"
    if any("enum" in o for o in options):
        return "not-one-of-the-choices"
    if any(o.get("format") in ("uuid", "date", "date-time") for o in options):
        return "not-a-uuid-or-date"
    return "x" * 5000  # a string parameter: at least try an absurd length


# -- rows ------------------------------------------------------------------------------


def counted_models() -> list[Any]:
    models = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.label_lower in EXCLUDED_MODELS or meta.app_config.name in EXCLUDED_APPS:
            continue
        models.append(model)
    return models


class RowCounter:
    """Counts the rows of every model in one query."""

    def __init__(self) -> None:
        self.labels = []
        parts = []
        for model in counted_models():
            self.labels.append(model._meta.label)
            table = connection.ops.quote_name(model._meta.db_table)
            parts.append(f"(SELECT COUNT(*) FROM {table})")
        self.sql = "SELECT " + ", ".join(parts)

    def snapshot(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            row = cursor.fetchone()
        return dict(zip(self.labels, row, strict=True))


# -- the calls -------------------------------------------------------------------------


def path_variants(path: str, cast: Any) -> Iterator[tuple[str, str]]:
    """(label, url) pairs: real episode ids where the path has one, bad ids elsewhere."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if not names:
        yield "no path parameters", path
        return

    def fill(values: dict[str, str]) -> str:
        url = path
        for name, value in values.items():
            url = url.replace("{" + name + "}", value)
        return url

    others = [n for n in names if n != "episode_id"]
    real = {"episode_id": str(cast.episode.pk)} if "episode_id" in names else {}
    yield "real episode, random other ids", fill({**real, **{n: str(uuid.uuid4()) for n in others}})
    if others:
        yield (
            "real episode, other ids not-a-uuid",
            fill({**real, **dict.fromkeys(others, "not-a-uuid")}),
        )
        real_others = real_ids(others, cast)
        if real_others:
            yield "real episode, real other ids", fill({**real, **real_others})
    if "episode_id" in names:
        yield "random episode id", fill({n: str(uuid.uuid4()) for n in names})
        yield "episode id not-a-uuid", fill(dict.fromkeys(names, "not-a-uuid"))


def real_ids(names: list[str], cast: Any) -> dict[str, str]:
    """Ids of rows that exist for Pat's episode, when there are any.

    Checklist items exist once the surgeon's POST .../checklist (earlier in the
    document than tick and verify) has generated the checklist.
    """
    found = {}
    for name in names:
        if name == "item_id":
            from endospine.prepare.models import ChecklistItem

            item = ChecklistItem.objects.filter(checklist__episode=cast.episode).first()
            if item is not None:
                found[name] = str(item.pk)
    return found if len(found) == len(names) else {}


def calls_for(
    path: str, method: str, operation: dict[str, Any], components: dict[str, Any], cast: Any
) -> Iterator[Call]:
    """Every bad request for one operation, per path variant, not yet bound to a caller."""
    name = f"{method.upper()} {path}"
    properties = body_properties(operation, components)
    declared = set(properties) | {p["name"] for p in operation.get("parameters", [])}
    for label, url in path_variants(path, cast):
        if method in WRITE_METHODS:
            for text in MALFORMED:
                yield Call(name, "", url, method, f"malformed JSON, {label}", text)
            yield Call(name, "", url, method, f"empty object, {label}", "{}")
            wrong = {prop: wrong_value(schema, components) for prop, schema in properties.items()}
            wrong[UNKNOWN] = "surprise"
            yield Call(
                name,
                "",
                url,
                method,
                f"wrong types, {label}",
                json.dumps(wrong),
                declared=declared,
            )
            oversize = "x" * (django_settings.API_MAX_BODY_BYTES + 1)
            yield Call(name, "", url, method, f"over-large body, {label}", oversize)
        else:
            yield Call(name, "", url, method, f"plain, {label}")
            params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            if params:
                every = {p["name"]: wrong_query(p["schema"], components) for p in params}
                yield Call(name, "", url, method, f"all query params wrong, {label}", query=every)
                for param in params:
                    one = {param["name"]: every[param["name"]]}
                    yield Call(
                        name,
                        "",
                        url,
                        method,
                        f"query {param['name']} wrong, {label}",
                        query=one,
                    )


def send(client: Client, call: Call) -> Any:
    if call.method in WRITE_METHODS:
        return getattr(client, call.method)(
            call.url, data=call.body, content_type="application/json"
        )
    return getattr(client, call.method)(call.url, data=call.query)


def problems_with(
    call: Call, response: Any, before: dict[str, int], after: dict[str, int]
) -> list[str]:
    status = response.status_code
    found = []
    if status >= 500:
        found.append(f"status {status} (server error)")
    elif not 200 <= status < 300 and status not in ALLOWED_ERRORS:
        found.append(f"status {status} is not one of {sorted(ALLOWED_ERRORS)}")
    if call.kind.startswith("over-large") and status != 413:
        found.append(f"over-large body answered {status}, not 413")

    content_type = response.get("Content-Type", "")
    binary = 200 <= status < 300 and call.url.endswith(".pdf")
    if binary:
        if not content_type.startswith("application/pdf"):
            found.append(f"PDF answered with Content-Type {content_type!r}")
    elif not content_type.startswith("application/json"):
        found.append(f"Content-Type {content_type!r}, not JSON")

    if not 200 <= status < 300 and content_type.startswith("application/json"):
        found += envelope_problems(call, status, response.content)

    if not 200 <= status < 300:
        grown = {
            label: (before[label], after[label]) for label in before if after[label] > before[label]
        }
        if grown:
            shown = ", ".join(f"{label} {b}->{a}" for label, (b, a) in grown.items())
            found.append(f"refused with {status} but stored rows: {shown}")
    return found


def envelope_problems(call: Call, status: int, content: bytes) -> list[str]:
    try:
        body = json.loads(content)
    except ValueError:
        return [f"error body is not JSON: {content[:200]!r}"]
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return [f'error body has no "errors" list: {content[:300]!r}']
    shapes_ok = all(
        isinstance(e, dict)
        and isinstance(e.get("field"), str)
        and isinstance(e.get("message"), str)
        for e in errors
    )
    if not shapes_ok:
        return [f'errors are not [{{"field": str, "message": str}}]: {content[:300]!r}']
    if status == 422 and call.kind.startswith("wrong types"):
        named = {e["field"].split(".")[0] for e in errors}
        if not named & (call.declared | {UNKNOWN}):
            return [f"422 names no field of the body: {content[:300]!r}"]
    return []


def where(exc: BaseException) -> str:
    """The innermost frame of our own code in the traceback of a view's exception."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__) if "/endospine/" in f.filename]
    if not ours:
        return ""
    frame = ours[-1]
    return f" (at {frame.filename.split('/endospine/', 1)[-1]}:{frame.lineno} in {frame.name})"


def undocumented(call: Call, response: Any, documented: dict[str, Any]) -> list[str]:
    """Finding 11: every answer is in the OpenAPI document, with its media type."""
    answers = documented[call.operation]
    status = str(response.status_code)
    if status not in answers:
        return [f"status {status} is not documented (documented: {sorted(answers)})"]
    media = set(answers[status].get("content", {}))
    content_type = response.get("Content-Type", "").split(";")[0]
    if media and content_type not in media:
        return [f"{status} answered {content_type!r}, documented {sorted(media)}"]
    if content_type == "application/json" and not 200 <= response.status_code < 300:
        body = json.loads(response.content)
        if any(set(e) != {"field", "message", "code"} for e in body.get("errors", [])):
            return [f"{status} errors are not {{field, message, code}}: {response.content[:200]!r}"]
    return []


# -- the test ----------------------------------------------------------------------------


def test_every_operation_refuses_bad_input_cleanly(cast, settings):
    settings.RATE_LIMIT_PER_MINUTE = 100_000
    cache.clear()

    schema = Client().get(f"{API}/openapi.json")
    assert schema.status_code == 200, schema.content[:300]
    document = schema.json()
    components = document.get("components", {}).get("schemas", {})
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) >= 20, "the OpenAPI document lost its operations"

    def bearer(user: Any) -> Client:
        _, raw = ApiToken.issue(user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    callers = {
        "surgeon": bearer(cast.surgeon),
        "patient": bearer(cast.pat.user),
        "anonymous": Client(),
    }
    documented = {f"{m.upper()} {p}": op["responses"] for p, m, op in operations}
    counter = RowCounter()
    failures: list[str] = []
    sent = 0
    for path, method, operation in operations:
        for call in calls_for(path, method, operation, components, cast):
            for role, client in callers.items():
                call.role = role
                before = counter.snapshot()
                try:
                    response = send(client, call)
                except Exception as exc:  # the test client re-raises a view's exception
                    failures.append(
                        f"{call.describe()}\n    500: {type(exc).__name__}: {exc}{where(exc)}"
                    )
                    continue
                finally:
                    sent += 1
                after = counter.snapshot()
                for problem in problems_with(call, response, before, after):
                    failures.append(f"{call.describe()}\n    {problem}")
                for problem in undocumented(call, response, documented):
                    failures.append(f"{call.describe()}\n    {problem}")

    assert not failures, (
        f"{len(failures)} of {sent} bad requests to {len(operations)} operations broke the rule:\n"
        + "\n".join(failures)
    )


ODD_TEXT = ["x\ud800", "\u0000", "nul\u0000inside"]


def test_every_text_property_refuses_odd_text_naming_the_field(cast, settings):
    """Finding 6: a lone surrogate or NUL in any string of any body is a 422 naming it."""
    settings.RATE_LIMIT_PER_MINUTE = 100_000
    cache.clear()
    document = Client().get(f"{API}/openapi.json").json()
    components = document.get("components", {}).get("schemas", {})
    _, raw = ApiToken.issue(cast.surgeon)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    counter = RowCounter()
    failures, sent = [], 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method not in WRITE_METHODS:
                continue
            url = path.replace("{episode_id}", str(cast.episode.pk))
            url = re.sub(r"\{\w+\}", lambda _: str(uuid.uuid4()), url)
            for prop, schema in body_properties(operation, components).items():
                if "string" not in _types(schema, components):
                    continue
                for value in ODD_TEXT:
                    before = counter.snapshot()
                    body = json.dumps({prop: value})
                    response = getattr(client, method)(url, body, content_type="application/json")
                    sent += 1
                    fields = [e.get("field") for e in response.json().get("errors", [])]
                    if response.status_code != 422 or prop not in fields:
                        failures.append(f"{method.upper()} {path} {prop}={value!r}: "
                                        f"{response.status_code} {fields}")  # fmt: skip
                    if counter.snapshot() != before:
                        failures.append(f"{method.upper()} {path} {prop}: stored rows")
    assert sent >= 30, sent
    assert not failures, "\n".join(failures)
