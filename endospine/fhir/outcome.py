"""FHIR responses and errors: application/fhir+json bodies, OperationOutcome for failures.

This API never uses the /api/v1 error envelope: a FHIR client expects an
OperationOutcome whose issues carry a severity, a code from the IssueType value
set and, for invalid input, the FHIRPath of the element in `expression`.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"

# The HTTP status that goes with each IssueType code we raise.
_STATUS = {
    "invalid": 400,
    "structure": 400,
    "required": 400,
    "value": 400,
    "not-supported": 400,
    "login": 401,
    "forbidden": 403,
    "not-found": 404,
    "deleted": 410,
    "business-rule": 422,
    "processing": 422,
    "duplicate": 409,
    "too-costly": 413,
    "exception": 500,
}


@dataclass(frozen=True)
class Issue:
    code: str  # an IssueType code, e.g. "invalid", "not-found"
    diagnostics: str
    expression: str = ""
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "severity": self.severity,
            "code": self.code,
            "diagnostics": self.diagnostics,
        }
        if self.expression:
            body["expression"] = [self.expression]
        return body


@dataclass
class FhirError(Exception):
    """Stop handling a request and answer with an OperationOutcome."""

    issues: list[Issue]
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def one(cls, code: str, diagnostics: str, expression: str = "", status: int = 0) -> "FhirError":
        return cls([Issue(code, diagnostics, expression)], status)

    @property
    def http_status(self) -> int:
        return self.status or _STATUS.get(self.issues[0].code, 400)


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [i.as_dict() for i in issues]}


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, separators=(",", ":")),
        status=status,
        content_type=FHIR_JSON + "; charset=utf-8",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    response = fhir_response(operation_outcome(error.issues), error.http_status)
    for name, value in error.headers.items():
        response[name] = value
    return response
