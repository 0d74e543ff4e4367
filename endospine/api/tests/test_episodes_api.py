import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from endospine.accounts.models import ApiToken
from endospine.audit.models import AuditEvent
from endospine.journey.models import Stage
from endospine.testing import make_episode, make_patient

API = "/api/v1/episodes"


def bearer(user):
    _, raw = ApiToken.issue(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_list_needs_authentication(cast):
    response = Client().get(API)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


def test_a_bad_token_is_refused(cast):
    response = Client(HTTP_AUTHORIZATION="Bearer es_not-a-token").get(API)
    assert response.status_code == 401


def test_a_revoked_token_is_refused(cast):
    token, raw = ApiToken.issue(cast.nurse)
    token.revoked_at = token.created_at
    token.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(API).status_code == 401


def test_staff_list_only_their_sites_episodes(cast):
    body = bearer(cast.nurse).get(API).json()
    ids = {row["id"] for row in body["results"]}
    assert ids == {str(cast.episode.pk), str(cast.quinn_episode.pk)}
    assert body["count"] == 2


def test_a_patient_lists_only_their_own(cast):
    body = bearer(cast.pat.user).get(API).json()
    assert [row["id"] for row in body["results"]] == [str(cast.episode.pk)]


def test_filter_by_stage_and_site(cast):
    client = bearer(cast.nurse)
    assert client.get(API, {"stage": "learn"}).json()["count"] == 1
    assert client.get(API, {"site": str(cast.south.pk)}).json()["count"] == 0


def test_pagination(cast):
    for index in range(5):
        make_episode(make_patient(f"p{index}", cast.north), stage=Stage.LEARN)
    client = bearer(cast.nurse)
    first = client.get(API, {"page_size": 3}).json()
    second = client.get(API, {"page_size": 3, "page": 2}).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and len(second["results"]) == 3
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "surgery"}, "stage"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": 51}, "page_size"),
        ({"site": "not-a-uuid"}, "site"),
    ],
)
def test_bad_filters_name_the_field(cast, params, field):
    response = bearer(cast.nurse).get(API, params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_list_query_count_does_not_grow_with_page_size(cast):
    for index in range(50):
        make_episode(make_patient(f"q{index}", cast.north), surgeon=cast.surgeon, nurse=cast.nurse)
    client = bearer(cast.nurse)
    client.get(API)  # the first call stamps the token's last use
    counts = []
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API, {"page_size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 8


def test_read_one_with_timeline_is_audited(cast):
    response = bearer(cast.nurse).get(f"{API}/{cast.episode.pk}")
    assert response.status_code == 200
    assert response.json()["patient"]["name"] == "Pat Doe"
    assert AuditEvent.objects.filter(
        record_id=str(cast.episode.pk), action="read", actor=cast.nurse
    ).exists()


def test_change_stage_through_the_api(cast):
    response = bearer(cast.surgeon).post(
        f"{API}/{cast.quinn_episode.pk}/stage",
        {"stage": "assess", "reason": "referred"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "assess"
    assert response.json()["timeline"][-1]["kind"] == "stage_changed"
    assert AuditEvent.objects.filter(record_id=str(cast.quinn_episode.pk), action="update").exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"stage": "recover"}, 422, "stage"),  # a jump
        ({"stage": "surgery"}, 422, "stage"),
        ({"stage": 5}, 422, "stage"),
        ({}, 422, "stage"),
        ({"stage": "prepare", "reason": "x" * 501}, 422, "reason"),
        ({"stage": "prepare", "reason": ["a"]}, 422, "reason"),
    ],
)
def test_bad_stage_changes_name_the_field_and_change_nothing(cast, body, status, field):
    response = bearer(cast.surgeon).post(
        f"{API}/{cast.episode.pk}/stage", body, content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert response.json()["errors"][0]["field"] == field
    cast.episode.refresh_from_db()
    assert cast.episode.stage == Stage.ASSESS


@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", '"prepare"', "null"])
def test_malformed_bodies_are_a_clear_error_not_a_500(cast, raw):
    response = bearer(cast.surgeon).post(
        f"{API}/{cast.episode.pk}/stage", raw, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "errors" in response.json()


def test_an_over_large_body_is_413(cast, settings):
    body = json.dumps({"stage": "prepare", "reason": "x" * (settings.API_MAX_BODY_BYTES + 10)})
    response = bearer(cast.surgeon).post(
        f"{API}/{cast.episode.pk}/stage", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"]


def test_unknown_episode_is_404(cast):
    response = bearer(cast.nurse).get(f"{API}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert bearer(cast.nurse).get(f"{API}/not-a-uuid").status_code in (404, 422)


def test_the_openapi_document_describes_the_episode_endpoints(cast):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/episodes" in schema["paths"]
    assert "/api/v1/episodes/{episode_id}/stage" in schema["paths"]


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_session_auth_works_for_pages_calling_the_api(cast):
    client = cast.client_for(cast.nurse)
    assert client.get(API).status_code == 200


def test_a_database_outage_is_a_json_503_clients_can_retry(rf):
    from django.db import OperationalError

    from endospine.api.errors import on_database_unavailable

    response = on_database_unavailable(rf.get("/api/v1/episodes"), OperationalError("gone"))
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert json.loads(response.content)["errors"][0]["message"].startswith("the service")


def test_cursor_pages_follow_next_cursor_to_the_end(cast):
    for index in range(5):
        make_episode(make_patient(f"c{index}", cast.north), stage=Stage.LEARN)
    client = bearer(cast.nurse)
    offset_ids = [r["id"] for r in client.get(API, {"page_size": 50}).json()["results"]]
    seen, params = [], {"page_size": 3}
    while True:
        body = client.get(API, params).json()
        seen += [r["id"] for r in body["results"]]
        if body["next_cursor"] is None:
            break
        params = {"page_size": 3, "cursor": body["next_cursor"]}
    assert seen == offset_ids and len(seen) == 7


def test_a_bad_cursor_is_refused_naming_it(cast):
    response = bearer(cast.nurse).get(API, {"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"
