"""The operate API: operative record, signing, addenda, discharge, PDF; access and audit."""

import json
from typing import Any

import pytest
from django.test import Client

from endospine.audit.models import AuditEvent
from endospine.journey.models import Stage
from endospine.operate.models import Discharge, OperativeRecord
from endospine.operate.tests.helpers import (
    discharge_payload,
    discharged,
    in_theatre,
    record_payload,
    signed_record,
)

pytestmark = pytest.mark.django_db


def url(cast: Any, suffix: str = "operative-record", episode: Any = None) -> str:
    return f"/api/v1/episodes/{(episode or cast.episode).pk}/{suffix}"


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def put(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.put(path, json.dumps(body), content_type="application/json")


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_surgeon_files_reads_signs_and_adds_an_addendum(cast: Any) -> None:
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    created = post(surgeon, url(cast), record_payload())
    assert created.status_code == 201, created.content
    assert created.json()["signed"] is False and created.json()["incision_length_mm"] == 8
    signed = post(surgeon, url(cast, "operative-record/sign"))
    assert signed.status_code == 200 and signed.json()["signed_by"] == "Sam Surgeon"
    added = post(
        surgeon, url(cast, "operative-record/addenda"), {"text": "Specimen labelled L4-L5."}
    )
    assert added.status_code == 201
    body = surgeon.get(url(cast)).json()
    assert body["addenda"][0]["text"] == "Specimen labelled L4-L5."
    assert body["incision_length_mm"] == 8  # the original is untouched


def test_a_signed_record_cannot_be_edited_in_place_by_api(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    surgeon = cast.client_for(cast.surgeon)
    response = put(surgeon, url(cast), record_payload(incision_length_mm=20))
    assert response.status_code == 409
    assert "addendum" in response.json()["errors"][0]["message"]
    assert OperativeRecord.objects.get().incision_length_mm == 8
    assert post(surgeon, url(cast), record_payload()).status_code == 409
    assert post(surgeon, url(cast, "operative-record/sign")).status_code == 409


def test_a_draft_can_be_edited_but_takes_no_addendum(cast: Any) -> None:
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    post(surgeon, url(cast), record_payload())
    assert (
        put(surgeon, url(cast), record_payload(incision_length_mm=12)).json()["incision_length_mm"]
        == 12
    )
    assert post(surgeon, url(cast, "operative-record/addenda"), {"text": "x"}).status_code == 409


def test_out_of_range_values_are_422_naming_each_field_and_nothing_is_stored(cast: Any) -> None:
    in_theatre(cast.episode)
    bad = record_payload(incision_length_mm=75, skin_to_skin_minutes=2, levels=["L9-L10"])
    response = post(cast.client_for(cast.surgeon), url(cast), bad)
    assert response.status_code == 422
    assert fields(response) == {"incision_length_mm", "skin_to_skin_minutes", "levels"}
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages["incision_length_mm"] == (
        "Incision length must be between 3 and 60 mm (you entered 75)."
    )
    assert not OperativeRecord.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"technique": "laser"}, "technique"),
        ({"events": ["explosion"]}, "events.0"),
        ({"incision_mm": 8}, "incision_mm"),
        ({"incision_length_mm": "long"}, "incision_length_mm"),
        ({"operation_date": "yesterday"}, "operation_date"),
    ],
)
def test_schema_errors_name_the_field(cast: Any, changes: dict[str, Any], field: str) -> None:
    in_theatre(cast.episode)
    response = post(cast.client_for(cast.surgeon), url(cast), record_payload(**changes))
    assert response.status_code == 422
    assert field in fields(response)


def test_malformed_json_is_an_error_envelope(cast: Any) -> None:
    in_theatre(cast.episode)
    response = cast.client_for(cast.surgeon).post(url(cast), "{", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "errors" in response.json()


def test_record_needs_the_operate_stage(cast: Any) -> None:
    response = post(cast.client_for(cast.surgeon), url(cast), record_payload())
    assert response.status_code == 422 and fields(response) == {"episode"}


@pytest.mark.parametrize("who", ["nurse", "coordinator", "pat"])
def test_only_surgeons_write_or_sign(cast: Any, who: str) -> None:
    in_theatre(cast.episode)
    user = cast.pat.user if who == "pat" else getattr(cast, who)
    client = cast.client_for(user)
    assert post(client, url(cast), record_payload()).status_code == 403
    signed_record(cast.episode, cast.surgeon)
    assert post(client, url(cast, "operative-record/addenda"), {"text": "x"}).status_code == 403
    assert post(client, url(cast, "operative-record/sign")).status_code == 403


@pytest.mark.parametrize("who", ["nurse_south", "lead", "admin", "quinn"])
def test_others_get_404(cast: Any, who: str) -> None:
    signed_record(cast.episode, cast.surgeon)
    user = cast.quinn.user if who == "quinn" else getattr(cast, who)
    client = cast.client_for(user)
    assert client.get(url(cast)).status_code == 404
    assert post(client, url(cast), record_payload()).status_code == 404


def test_anonymous_gets_401(cast: Any) -> None:
    assert Client().get(url(cast)).status_code == 401


def test_patient_reads_a_signed_record_but_not_a_draft(cast: Any) -> None:
    in_theatre(cast.episode)
    post(cast.client_for(cast.surgeon), url(cast), record_payload())
    patient = cast.client_for(cast.pat.user)
    assert patient.get(url(cast)).status_code == 404
    post(cast.client_for(cast.surgeon), url(cast, "operative-record/sign"))
    assert patient.get(url(cast)).status_code == 200


def test_reads_and_writes_are_audited(cast: Any) -> None:
    in_theatre(cast.episode)
    surgeon = cast.client_for(cast.surgeon)
    post(surgeon, url(cast), record_payload())
    post(surgeon, url(cast, "operative-record/sign"))
    surgeon.get(url(cast))
    actions = list(
        AuditEvent.objects.filter(record_type="operate.operativerecord")
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    read = AuditEvent.objects.get(action="read")
    assert read.record_id == str(cast.episode.pk)
    assert read.detail == "GET /api/v1/episodes/<episode_id>/operative-record"
    assert set(AuditEvent.objects.values_list("patient_id", flat=True)) == {cast.pat.pk}


def test_discharge_moves_to_recover_and_returns_instructions(cast: Any) -> None:
    signed_record(cast.episode, cast.surgeon)
    response = post(cast.client_for(cast.nurse), url(cast, "discharge"), discharge_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["same_day"] is True
    assert body["emergency_number"] == "911" and body["care_team_phone"] == "+1 555 0100"
    keys = [s["key"] for s in body["instructions"]]
    assert keys[:4] == ["activity", "wound", "medicines", "emergency"]
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.RECOVER
    assert cast.episode.discharged_on is not None


def test_discharge_needs_a_signed_record_and_valid_values(cast: Any) -> None:
    in_theatre(cast.episode)
    nurse = cast.client_for(cast.nurse)
    assert fields(post(nurse, url(cast, "discharge"), discharge_payload())) == {"episode"}
    signed_record(cast.episode, cast.surgeon)
    response = post(nurse, url(cast, "discharge"),
                    discharge_payload(pain_at_discharge=11, first_walk_hours=-2))  # fmt: skip
    assert response.status_code == 422
    assert fields(response) == {"pain_at_discharge", "first_walk_hours"}
    assert not Discharge.objects.exists()
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.OPERATE


def test_discharge_twice_is_refused(cast: Any) -> None:
    discharged(cast.episode, cast.surgeon)
    response = post(cast.client_for(cast.nurse), url(cast, "discharge"), discharge_payload())
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["coordinator", "pat"])
def test_coordinator_and_patient_cannot_record_discharge(cast: Any, who: str) -> None:
    signed_record(cast.episode, cast.surgeon)
    user = cast.pat.user if who == "pat" else cast.coordinator
    response = post(cast.client_for(user), url(cast, "discharge"), discharge_payload())
    assert response.status_code == 403


def test_patient_reads_their_discharge_and_pdf_with_their_numbers(cast: Any) -> None:
    discharged(cast.episode, cast.surgeon)
    patient = cast.client_for(cast.pat.user)
    assert patient.get(url(cast, "discharge")).status_code == 200
    response = patient.get(url(cast, "discharge.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="export", record_type="operate.discharge").count() == 1
    assert cast.client_for(cast.quinn.user).get(url(cast, "discharge.pdf")).status_code == 404


def test_pdf_of_a_south_patient_carries_the_south_numbers(cast: Any) -> None:
    from endospine.operate import selectors

    cast.south.care_team_phone = "+44 20 7946 0000"
    cast.south.save()
    episode = cast.south_episode
    from endospine.accounts.models import Role
    from endospine.testing import make_staff

    south_surgeon = make_staff("sue_surgeon", Role.SURGEON, cast.south)
    done = discharged(episode, south_surgeon)
    record = selectors.operative_record(episode)
    assert record is not None
    data = selectors.discharge_pdf(
        episode, selectors.discharge_instructions(episode, record, done), compress=False
    )
    assert b"Emergency: call 999" in data
    assert b"+44 20 7946 0000" in data
    assert b"Call 999 now" in data


def test_no_discharge_yet_is_404(cast: Any) -> None:
    assert cast.client_for(cast.surgeon).get(url(cast, "discharge")).status_code == 404
    assert cast.client_for(cast.surgeon).get(url(cast, "discharge.pdf")).status_code == 404


def test_openapi_lists_the_operate_endpoints(cast: Any) -> None:
    paths = cast.client_for(cast.surgeon).get("/api/v1/openapi.json").json()["paths"]
    for suffix in ("operative-record", "operative-record/sign", "operative-record/addenda",
                   "discharge", "discharge.pdf"):  # fmt: skip
        assert f"/api/v1/episodes/{{episode_id}}/{suffix}" in paths
