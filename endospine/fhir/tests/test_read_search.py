"""Read and search through plain HTTP: shapes, access, scopes, paging, audit."""

from typing import Any

import pytest
from django.test import Client

from endospine.audit.models import AuditEvent
from endospine.fhir.tests.helpers import auth, token, validate
from endospine.proms.services import instruments_load, response_submit

pytestmark = pytest.mark.django_db


def get(client: Client, path: str, raw: str, **headers: str) -> Any:
    response = client.get(f"/fhir/R4/{path}", **auth(raw), **headers)
    assert response["Content-Type"].startswith("application/fhir+json")
    return response


def test_metadata_needs_no_token_and_validates(client: Client) -> None:
    response = client.get("/fhir/R4/metadata")
    assert response.status_code == 200
    body = response.json()
    validate(body)
    types = {r["type"] for r in body["rest"][0]["resource"]}
    assert {"Patient", "Observation", "QuestionnaireResponse", "Flag"} <= types


def test_anonymous_gets_401_operation_outcome(client: Client, cast: Any) -> None:
    response = client.get(f"/fhir/R4/Patient/{cast.pat.pk}")
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_without_scopes_is_refused_403(client: Client, cast: Any) -> None:
    response = get(client, f"Patient/{cast.pat.pk}", token(cast.nurse, ""))
    assert response.status_code == 403
    validate(response.json())


def test_patient_token_reads_own_record_but_not_another(client: Client, cast: Any) -> None:
    raw = token(cast.pat.user, "patient/*.rs")
    mine = get(client, f"Patient/{cast.pat.pk}", raw)
    assert mine.status_code == 200
    validate(mine.json())
    assert get(client, f"Patient/{cast.quinn.pk}", raw).status_code == 404
    bundle = get(client, "EpisodeOfCare", raw).json()
    assert {e["resource"]["id"] for e in bundle["entry"]} == {str(cast.episode.pk)}


def test_staff_see_only_their_sites_and_leads_nothing(client: Client, cast: Any) -> None:
    nurse = token(cast.nurse, "user/*.rs")
    ids = {e["resource"]["id"] for e in get(client, "Patient", nurse).json()["entry"]}
    assert ids == {str(cast.pat.pk), str(cast.quinn.pk)}
    assert get(client, f"Patient/{cast.sid.pk}", nurse).status_code == 404
    lead = get(client, "Patient", token(cast.lead, "user/*.rs")).json()
    assert lead["total"] == 0


def test_scope_limits_resource_types(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "user/Observation.rs")
    assert get(client, "Observation", raw).status_code == 200
    assert get(client, f"Patient/{cast.pat.pk}", raw).status_code == 403


def test_every_read_is_audited(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "user/*.rs")
    before = AuditEvent.objects.count()
    get(client, f"Patient/{cast.pat.pk}", raw)
    get(client, "EpisodeOfCare", raw)
    rows = AuditEvent.objects.order_by("at")[before:]
    assert [r.record_type for r in rows] == [
        "journey.patient",
        "journey.episode",
        "journey.episode",
    ]
    assert all(r.detail.startswith("fhir") and r.action == "read" for r in rows)


def test_paging_follows_next_links_to_the_total(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "user/*.rs")
    url, seen = "EpisodeOfCare?_count=1", []
    while url:
        bundle = get(client, url, raw).json()
        validate(bundle)
        seen += [e["resource"]["id"] for e in bundle["entry"]]
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = following[0].split("/fhir/R4/", 1)[1] if following else ""
    assert len(seen) == len(set(seen)) == bundle["total"] == 2


def test_unknown_parameter_strict_400_lenient_warning(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "user/*.rs")
    refused = get(client, "Patient?colour=red", raw, HTTP_PREFER="handling=strict")
    assert refused.status_code == 400
    assert refused.json()["issue"][0]["expression"] == ["colour"]
    lenient = get(client, "Patient?colour=red", raw).json()
    outcome = [e for e in lenient["entry"] if e["search"]["mode"] == "outcome"]
    assert outcome[0]["resource"]["issue"][0]["severity"] == "warning"


def test_bad_date_names_the_parameter(client: Client, cast: Any) -> None:
    response = get(client, "Observation?date=yesterday", token(cast.nurse, "user/*.rs"))
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["date"]


def test_prom_score_observation_derives_from_the_response_with_include(
    client: Client, cast: Any
) -> None:
    instruments_load()
    response_submit(
        episode=cast.episode, instrument="nrs_leg", answers={"pain": 6}, actor=cast.pat.user
    )
    raw = token(cast.nurse, "user/*.rs")
    bundle = get(
        client, "Observation?_include=Observation:derived-from&patient=" + str(cast.pat.pk), raw
    ).json()
    validate(bundle)
    score = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "match"]
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert score[0]["valueQuantity"]["value"] == 6
    assert score[0]["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{included[0]['id']}"}]


def test_unknown_type_method_and_body_answer_operation_outcomes(client: Client, cast: Any) -> None:
    raw = token(cast.nurse, "user/*.cruds")
    assert get(client, "Spaceship", raw).status_code == 404
    assert get(client, "Patient/not-a-uuid", raw).status_code == 404
    deleted = client.delete(f"/fhir/R4/Patient/{cast.pat.pk}", **auth(raw))
    assert deleted.status_code == 405 and deleted["Allow"] == "GET"
    garbage = client.post(
        "/fhir/R4/QuestionnaireResponse", "{nope", content_type="application/fhir+json", **auth(raw)
    )
    assert garbage.status_code == 400 and garbage.json()["issue"][0]["code"] == "structure"
