"""Validation by others' code: fhir.resources (R4B models) and fhirclient 4.x (R4, strict)."""

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from endospine.accounts.models import ApiToken, User


def validate(resource: dict[str, Any]) -> None:
    """Raise if either library refuses the resource (or, for a Bundle, any entry)."""
    kind = resource["resourceType"]
    get_fhir_model_class(kind).model_validate(resource)
    FHIRElementFactory.instantiate(kind, resource)  # strict: unknown elements fail


def token(user: User, scope: str) -> str:
    return ApiToken.issue(user, name="test", scope=scope)[1]


def auth(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
