"""The OpenAPI document says every answer an operation can give, not only its success.

Ninja documents the declared success responses. Every other answer comes from
the shared edges of the API, so it is added here from what the operation is,
never by hand per operation:

- 400 malformed JSON or an unusable query: an operation with a body or parameters;
- 413 an over-large body: any write;
- 401 and 403: an operation that needs authentication;
- 404: an operation with a path parameter or that needs authentication;
- 409: an authenticated write (a signed record, a replayed key...);
- 422: an operation with a body or parameters, or any write;
- 429: a public operation (they are rate-limited);
- 503: any operation (the database is briefly unavailable).

A `.pdf` path answers application/pdf.
"""

from typing import Any

from ninja import NinjaAPI

from endospine.api.errors import STATUS_CODES

_DESCRIPTIONS = {
    400: "The body is not valid JSON, or the query cannot be used.",
    401: "Not signed in, or no valid bearer token.",
    403: "Signed in, but this role may not take this action on this record.",
    404: "No such record, or it is outside what the caller may see.",
    409: "The record's state does not allow this (e.g. it is signed and locked).",
    413: "The body is larger than ENDOSPINE_API_MAX_BODY_BYTES.",
    422: "A field is invalid; each error names it.",
    429: "Too many requests from this address; retry later.",
    503: "The database is briefly unavailable; retry the same request.",
}
ERROR_CODES = sorted(set(STATUS_CODES.values()) | {"required", "too_long", "unknown_field"})
_ENVELOPE = {
    "title": "Errors",
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string", "examples": ERROR_CODES},
                },
            },
        }
    },
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    body = "requestBody" in operation
    secured = bool(operation.get("security"))
    has_params = bool(operation.get("parameters"))
    found = {503}
    if body or has_params:
        found |= {400, 422}  # malformed JSON, or a query the handler cannot use
    if body:
        found.add(413)
    if secured:
        found |= {401, 403, 404}
    if "{" in path:
        found.add(404)
    if secured and method in WRITE_METHODS:
        found.add(409)
    if has_params or method in WRITE_METHODS:
        found.add(422)
    if method in WRITE_METHODS:
        found.add(413)  # the body limit holds whether or not a body is expected
    if not secured:
        found.add(429)
    return found


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Errors"] = _ENVELOPE
    ref = {"$ref": "#/components/schemas/Errors"}
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status in sorted(error_statuses(path, method, operation)):
                responses.setdefault(
                    str(status),
                    {
                        "description": _DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
            if path.endswith(".pdf"):
                for answer, response in responses.items():
                    if answer.startswith("2"):
                        response["content"] = {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        }
    return schema


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return complete(super().get_openapi_schema(**kwargs))
