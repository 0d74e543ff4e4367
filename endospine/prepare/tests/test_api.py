"""The checklist API: who may read, tick and verify, bad input, and the audit trail."""

import json
from datetime import timedelta

import pytest

from endospine.audit.models import AuditEvent
from endospine.prepare.models import ItemState
from endospine.prepare.tests.conftest import item

pytestmark = pytest.mark.django_db


def _url(episode, tail=""):
    return f"/api/v1/episodes/{episode.pk}/checklist{tail}"


def _tick_url(episode, code, action="tick"):
    return _url(episode, f"/items/{item(episode, code).pk}/{action}")


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_patient_reads_their_checklist_and_the_read_is_audited(cast, preparing):
    response = cast.client_for(cast.pat.user).get(_url(preparing))
    assert response.status_code == 200
    body = response.json()
    assert body["template_site"] == "default" and body["ready_for_operate"] is False
    consent = next(i for i in body["items"] if i["code"] == "consent")
    assert consent["due_date"] == (preparing.surgery_date - timedelta(days=7)).isoformat()
    assert consent["owner"] == "staff" and consent["state"] == "open"
    assert AuditEvent.objects.filter(
        record_type="journey.episode",
        action="read",
        actor=cast.pat.user,
        detail="GET /api/v1/episodes/<episode_id>/checklist",
    ).exists()


def test_the_care_team_of_another_site_and_other_patients_get_not_found(cast, preparing):
    for user in (cast.nurse_south, cast.quinn.user, cast.lead, cast.admin):
        response = cast.client_for(user).get(_url(preparing))
        assert response.status_code == 404, user.username
        assert response.json() == {
            "errors": [{"field": "", "message": "not found", "code": "not_found"}]
        }


def test_no_checklist_yet_is_not_found_and_staff_generate_it_idempotently(cast):
    nurse = cast.client_for(cast.nurse)
    assert nurse.get(_url(cast.episode)).status_code == 404
    first = _post(nurse, _url(cast.episode))
    second = _post(nurse, _url(cast.episode))
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert _post(cast.client_for(cast.pat.user), _url(cast.episode)).status_code == 403


def test_the_patient_ticks_their_own_item_and_the_write_is_audited(cast, preparing):
    response = _post(cast.client_for(cast.pat.user), _tick_url(preparing, "escort_home"))
    assert response.status_code == 200
    assert response.json()["state"] == "done"
    assert response.json()["done_by"] == cast.pat.user.display_name
    assert item(preparing, "escort_home").state == ItemState.DONE
    assert AuditEvent.objects.filter(
        record_type="prepare.checklistitem", action="update", actor=cast.pat.user
    ).exists()


def test_the_patient_unticks_with_done_false(cast, preparing):
    client = cast.client_for(cast.pat.user)
    _post(client, _tick_url(preparing, "escort_home"))
    response = _post(client, _tick_url(preparing, "escort_home"), {"done": False})
    assert response.json()["state"] == "open"


def test_a_patient_may_not_tick_a_staff_item(cast, preparing):
    client = cast.client_for(cast.pat.user)
    for action in ("tick", "verify"):
        response = _post(client, _tick_url(preparing, "consent", action))
        assert response.status_code == 403, action
        assert response.json()["errors"][0]["message"] == "you may not do this"
    assert item(preparing, "consent").state == ItemState.OPEN


def test_a_patient_may_not_tick_another_patients_item(cast, preparing):
    response = _post(cast.client_for(cast.quinn.user), _tick_url(preparing, "escort_home"))
    assert response.status_code == 404
    assert item(preparing, "escort_home").state == ItemState.OPEN


def test_an_item_of_another_episode_is_not_found(cast, preparing):
    other = cast.client_for(cast.nurse)
    _post(other, _url(cast.quinn_episode))
    foreign = item(cast.quinn_episode, "escort_home")
    response = _post(other, _url(preparing, f"/items/{foreign.pk}/tick"))
    assert response.status_code == 404


def test_staff_of_another_site_may_not_tick_or_verify(cast, preparing):
    client = cast.client_for(cast.nurse_south)
    assert _post(client, _tick_url(preparing, "escort_home")).status_code == 404
    assert _post(client, _tick_url(preparing, "consent", "verify")).status_code == 404


def test_the_care_team_ticks_for_the_patient_and_verifies_staff_items(cast, preparing):
    client = cast.client_for(cast.coordinator)
    assert _post(client, _tick_url(preparing, "escort_home")).json()["state"] == "done"
    stop = (preparing.surgery_date - timedelta(days=5)).isoformat()
    response = _post(
        client,
        _tick_url(preparing, "medication_review", "verify"),
        {"state": "verified", "stop_date": stop, "note": "Clopidogrel"},
    )
    assert response.status_code == 200
    assert response.json()["stop_date"] == stop
    assert response.json()["verified_by"] == cast.coordinator.display_name


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"state": "done"}, "state"),
        ({"stop_date": "next tuesday"}, "stop_date"),
        ({"note": "x" * 301}, "note"),
        ({"stat": "verified"}, "stat"),
        ({"state": "not_applicable"}, "note"),
    ],
)
def test_bad_verify_input_names_the_field_and_changes_nothing(cast, preparing, body, field):
    response = _post(
        cast.client_for(cast.nurse), _tick_url(preparing, "medication_review", "verify"), body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert item(preparing, "medication_review").state == ItemState.OPEN


def test_a_stop_date_after_surgery_is_refused(cast, preparing):
    late = (preparing.surgery_date + timedelta(days=1)).isoformat()
    response = _post(
        cast.client_for(cast.nurse),
        _tick_url(preparing, "medication_review", "verify"),
        {"stop_date": late},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stop_date"


def test_bad_tick_input_is_refused(cast, preparing):
    client = cast.client_for(cast.pat.user)
    url = _tick_url(preparing, "escort_home")
    assert _post(client, url, {"done": "maybe"}).status_code == 422
    assert _post(client, url, {"dne": True}).json()["errors"][0]["field"] == "dne"
    malformed = client.post(url, data="{not json", content_type="application/json")
    assert malformed.status_code in (400, 422)
    assert "errors" in malformed.json()
    bad_id = _post(client, _url(preparing, "/items/not-a-uuid/tick"))
    assert bad_id.status_code in (404, 422)
    assert "errors" in bad_id.json()


def test_anonymous_callers_are_refused(client, cast, preparing):
    response = client.get(_url(preparing))
    assert response.status_code == 401
    assert "errors" in response.json()


def test_the_endpoints_are_in_the_openapi_document(client, cast):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/episodes/{episode_id}/checklist" in paths
    assert "/api/v1/episodes/{episode_id}/checklist/items/{item_id}/tick" in paths
    assert "/api/v1/episodes/{episode_id}/checklist/items/{item_id}/verify" in paths


def test_reading_the_checklist_takes_a_constant_number_of_queries(
    cast, preparing, django_assert_max_num_queries
):
    client = cast.client_for(cast.nurse)
    client.get(_url(preparing))  # warm the session and the template cache
    with django_assert_max_num_queries(11):  # +1: the scan-age check
        assert client.get(_url(preparing)).status_code == 200
