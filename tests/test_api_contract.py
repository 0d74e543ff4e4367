"""Finding 12: the API answers in JSON everywhere, and input schemas refuse unknown keys.

Enumerated from the OpenAPI document, so a schema added later is checked the
day it lands.
"""

from typing import Any

from django.test import Client

API = "/api/v1"


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_input_schema_forbids_unknown_keys():
    document = Client().get(f"{API}/openapi.json").json()
    components = document["components"]["schemas"]
    lax = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                schema = _resolve(media["schema"], components)
                if schema.get("additionalProperties") is not False:
                    lax.append(f"{method.upper()} {path}: {media['schema']}")
    assert not lax, "\n".join(lax)


def test_an_unknown_api_path_answers_the_json_envelope(db):
    response = Client().get(f"{API}/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "not_found"


def test_a_wrong_method_answers_the_json_envelope(cast):
    response = Client().delete(f"{API}/episodes/{cast.episode.pk}")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


def test_an_unknown_key_is_refused_by_name(cast):
    from endospine.accounts.models import ApiToken

    _, raw = ApiToken.issue(cast.surgeon)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"{API}/episodes/{cast.episode.pk}/stage"
    response = client.post(url, {"stage": "prepare", "resaon": "typo"}, "application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("resaon", "unknown_field")


def test_errors_carry_a_machine_code(cast):
    response = Client().get(f"{API}/episodes")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthenticated"


def test_the_discharge_pdf_is_documented_as_a_pdf_and_errors_as_the_envelope():
    """Finding 11: the document said JSON for the PDF and left most error answers out."""
    document = Client().get(f"{API}/openapi.json").json()
    pdf = document["paths"]["/api/v1/episodes/{episode_id}/discharge.pdf"]["get"]["responses"]
    assert set(pdf["200"]["content"]) == {"application/pdf"}
    assert {"401", "403", "404"} <= set(pdf)
    stage = document["paths"]["/api/v1/episodes/{episode_id}/stage"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "413", "422"} <= set(stage)
    envelope = stage["422"]["content"]["application/json"]["schema"]
    assert envelope == {"$ref": "#/components/schemas/Errors"}
