"""POST QuestionnaireResponse and referral transaction Bundles."""

import json
from typing import Any

import pytest
from django.test import Client

from endospine.fhir.codes import local_system
from endospine.fhir.mapping import mrn_system
from endospine.fhir.tests.helpers import auth, token, validate
from endospine.journey.models import Episode, Patient, Stage
from endospine.proms.models import Response
from endospine.proms.services import instruments_load

pytestmark = pytest.mark.django_db
NRS_LEG = "https://endospine.invalid/fhir/Questionnaire/nrs_leg"


def post(client: Client, path: str, raw: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/fhir/R4{path}", json.dumps(body), content_type="application/fhir+json",
        **auth(raw), **headers,
    )  # fmt: skip


def answer(patient: Patient, pain: int, identifier: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": NRS_LEG,
        "subject": {"reference": f"Patient/{patient.pk}"},
        "item": [{"linkId": "pain", "answer": [{"valueInteger": pain}]}],
    }
    if identifier:
        body["identifier"] = {"system": "urn:app", "value": identifier}
    return body


def test_patient_app_posts_a_prom_scored_like_the_form(client: Client, cast: Any) -> None:
    instruments_load()
    raw = token(cast.pat.user, "patient/QuestionnaireResponse.crs")
    created = post(client, "/QuestionnaireResponse", raw, answer(cast.pat, 7, "a-1"))
    assert created.status_code == 201, created.json()
    validate(created.json())
    stored = Response.objects.get()
    assert (stored.score, stored.instrument, stored.author) == (7, "nrs_leg", cast.pat.user)
    again = post(client, "/QuestionnaireResponse", raw, answer(cast.pat, 7, "a-1"))
    assert again.status_code == 200 and again.json()["id"] == str(stored.pk)
    assert Response.objects.count() == 1


def test_if_none_exist_makes_a_retry_harmless(client: Client, cast: Any) -> None:
    instruments_load()
    raw = token(cast.pat.user, "patient/*.cruds")
    header = {"HTTP_IF_NONE_EXIST": "identifier=urn:app|x9"}
    assert (
        post(client, "/QuestionnaireResponse", raw, answer(cast.pat, 3), **header).status_code
        == 201
    )
    assert (
        post(client, "/QuestionnaireResponse", raw, answer(cast.pat, 3), **header).status_code
        == 200
    )
    assert Response.objects.count() == 1


def test_prom_for_someone_else_or_out_of_range_is_refused(client: Client, cast: Any) -> None:
    instruments_load()
    raw = token(cast.pat.user, "patient/*.cruds")
    other = post(client, "/QuestionnaireResponse", raw, answer(cast.quinn, 3))
    assert other.status_code == 403
    assert other.json()["issue"][0]["expression"] == ["QuestionnaireResponse.subject"]
    wild = post(client, "/QuestionnaireResponse", raw, answer(cast.pat, 42))
    assert wild.status_code == 422
    assert wild.json()["issue"][0]["expression"] == [
        "QuestionnaireResponse.item.where(linkId='pain')"
    ]
    read_only = post(
        client, "/QuestionnaireResponse", token(cast.pat.user, "patient/*.rs"), answer(cast.pat, 3)
    )
    assert read_only.status_code == 403
    assert Response.objects.count() == 0


def referral(
    site: Any, mrn: str = "H-100", code: str = "endoscopic-spine-assessment"
) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:0b9d1f4e-0000-4000-8000-000000000001",
                "resource": {
                    "resourceType": "Patient",
                    "identifier": [{"system": mrn_system(site), "value": mrn}],
                    "name": [{"family": "Rivera", "given": ["Ana"]}],
                    "birthDate": "1970-04-02",
                },
                "request": {"method": "POST", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:0b9d1f4e-0000-4000-8000-000000000002",
                "resource": {
                    "resourceType": "Condition",
                    "code": {
                        "coding": [
                            {
                                "system": "http://snomed.info/sct",
                                "code": "202708005",
                                "display": "Lumbar disc herniation",
                            }
                        ]
                    },
                    "bodySite": [
                        {"coding": [{"system": local_system("spinal-level"), "code": "L4-L5"}]}
                    ],
                    "subject": {"reference": "urn:uuid:0b9d1f4e-0000-4000-8000-000000000001"},
                },
                "request": {"method": "POST", "url": "Condition"},
            },
            {
                "fullUrl": "urn:uuid:0b9d1f4e-0000-4000-8000-000000000003",
                "resource": {
                    "resourceType": "ServiceRequest",
                    "status": "active",
                    "intent": "order",
                    "identifier": [{"system": "urn:ehr:orders", "value": f"o-{mrn}"}],
                    "code": {"coding": [{"system": local_system("referral"), "code": code}]},
                    "subject": {"reference": "urn:uuid:0b9d1f4e-0000-4000-8000-000000000001"},
                },
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
        ],
    }


def test_referral_round_trips_and_never_duplicates_the_patient(client: Client, cast: Any) -> None:
    raw = token(cast.coordinator, "user/*.cruds")
    sent = post(client, "", raw, referral(cast.north))
    assert sent.status_code == 200, sent.json()
    validate(sent.json())
    locations = [e["response"]["location"] for e in sent.json()["entry"]]
    patient = client.get(f"/fhir/R4/{locations[0]}", **auth(raw)).json()
    assert patient["identifier"][0]["value"] == "H-100" and patient["name"][0]["family"] == "Rivera"
    condition = client.get(f"/fhir/R4/{locations[1]}", **auth(raw)).json()
    validate(condition)
    assert condition["code"]["coding"][0]["code"] == "202708005"
    assert condition["bodySite"][0]["coding"][0]["code"] == "L4-L5"
    episode = Episode.objects.get(pk=locations[1].split("/")[1])
    assert (episode.stage, episode.site) == (Stage.ASSESS, cast.north)
    second = referral(cast.north, code="endoscopic-spine-education")
    second["entry"][2]["resource"]["identifier"][0]["value"] = "another-order"
    assert post(client, "", raw, second).status_code == 200
    assert Patient.objects.filter(mrn="H-100").count() == 1
    assert Episode.objects.filter(patient__mrn="H-100").count() == 2
    post(client, "", raw, second)  # the same order again: nothing new
    assert Episode.objects.filter(patient__mrn="H-100").count() == 2


def test_broken_referral_is_refused_whole_naming_entry_and_element(
    client: Client, cast: Any
) -> None:
    bundle = referral(cast.north, mrn="H-200")
    bundle["entry"][1]["resource"]["code"] = {"text": "back trouble"}
    bundle["entry"][2]["resource"]["code"]["coding"][0]["code"] = "surgery-now"
    response = post(client, "", token(cast.coordinator, "user/*.cruds"), bundle)
    assert response.status_code == 422
    validate(response.json())
    paths = [i["expression"][0] for i in response.json()["issue"]]
    assert paths == ["Bundle.entry[1].resource.code", "Bundle.entry[2].resource.code"]
    assert not Patient.objects.filter(mrn="H-200").exists()


def test_referral_needs_write_scope_and_a_care_team_member(client: Client, cast: Any) -> None:
    assert (
        post(client, "", token(cast.coordinator, "user/*.rs"), referral(cast.north)).status_code
        == 403
    )
    refused = post(client, "", token(cast.lead, "user/*.cruds"), referral(cast.north))
    assert refused.status_code == 422
    assert not Patient.objects.filter(mrn="H-100").exists()
