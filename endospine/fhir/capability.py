"""The CapabilityStatement: exactly what this server supports, built from the registry."""

from typing import Any

from django.conf import settings

from endospine.fhir.search import INCLUDES, registry, supported_params

_TYPES = {
    "_id": "token",
    "_count": "number",
    "_offset": "number",
    "_lastUpdated": "date",
    "patient": "reference",
    "subject": "reference",
    "identifier": "token",
    "date": "date",
    "code": "token",
    "status": "token",
}
_SMART = "http://fhir-registry.smarthealthit.org/CodeSystem/capabilities"
SMART_CAPABILITIES = [
    "permission-v2",
    "permission-patient",
    "permission-user",
]
WRITABLE = {"QuestionnaireResponse": ["create"]}


def _resource(resource: str) -> dict[str, Any]:
    sources = registry()[resource]
    names = ["_id", "_count", "_offset"]
    if all(s.updated for s in sources):
        names.append("_lastUpdated")
    names += supported_params(resource)
    interactions = ["read", "search-type", *WRITABLE.get(resource, [])]
    entry: dict[str, Any] = {
        "type": resource,
        "interaction": [{"code": code} for code in interactions],
        "searchParam": [{"name": n, "type": _TYPES[n]} for n in names],
    }
    includes = [name for name, (source, _) in INCLUDES.items() if source == resource]
    if includes:
        entry["searchInclude"] = includes
    if resource == "QuestionnaireResponse":
        entry["conditionalCreate"] = True
    return entry


_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"


def capability_statement(base: str, token_url: str = "") -> dict[str, Any]:
    resources = [_resource(name) for name in registry()]
    resources.append(
        {
            "type": "Group",
            "operation": [{"name": "export", "definition": _EXPORT}],
        }
    )
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "kind": "instance",
        "software": {"name": "EndoSpine", "version": getattr(settings, "VERSION", "1")},
        "implementation": {"description": "EndoSpine FHIR R4 API", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "extension": [
                        {
                            "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/capabilities",
                            "valueCode": code,
                        }
                        for code in SMART_CAPABILITIES
                    ],
                    "description": (
                        "Bearer tokens with SMART v2 scopes (patient/*.rs, user/*.rs, "
                        "system/*.rs), issued with `endospine token create USERNAME --scope`."
                    ),
                },
                "resource": resources,
                "interaction": [{"code": "transaction"}],
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                    }
                ],
            }
        ],
    }
