"""The two JSON contracts of issue 5: /triage/evaluate and /episodes/{id}/checkins."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from endospine.journey.models import Episode
from endospine.recover.models import Alert, Checkin
from endospine.testing import well_inside_a_minute

EVALUATE = "/api/v1/triage/evaluate"


def post(client: Client, url: str, body: Any, **headers: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def checkins_url(episode: Episode) -> str:
    return f"/api/v1/episodes/{episode.pk}/checkins"


@pytest.fixture(autouse=True)
def _clear_rate_limits() -> None:
    cache.clear()


# --- /triage/evaluate ---------------------------------------------------------


@pytest.mark.django_db
def test_evaluate_is_public_and_answers_the_contract() -> None:
    response = post(Client(), EVALUATE, {"chest_pain": True, "temperature_c": 38.5})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"level", "reasons", "advice", "ruleset_version"}
    assert body["level"] == "emergency"
    assert {r["code"] for r in body["reasons"]} == {"chest_pain", "fever"}
    assert all(set(r) == {"code", "message"} for r in body["reasons"])


@pytest.mark.django_db
def test_evaluate_empty_body_is_routine() -> None:
    response = post(Client(), EVALUATE, {})
    assert response.status_code == 200 and response.json()["level"] == "routine"


@pytest.mark.django_db
def test_evaluate_stores_nothing() -> None:
    post(Client(), EVALUATE, {"saddle_numbness": True})
    assert Checkin.objects.count() == 0 and Alert.objects.count() == 0


BAD_FIELDS = [
    ("days_since_surgery", -1), ("days_since_surgery", "soon"), ("temperature_c", 29.9),
    ("temperature_c", 45.1), ("temperature_c", "hot"), ("pain_back", 11), ("pain_back", -1),
    ("pain_leg", 3.5), ("pain_trend", "awful"), ("pain_controlled", "maybe"),
    ("wound_redness", "red"), ("wound_drainage", "green"), ("wound_open", [1]),
    ("new_weakness", {}), ("new_numbness", "perhaps"), ("saddle_numbness", "x"),
    ("bladder", "blocked"), ("bowel_incontinence", "x"), ("headache_upright", "x"),
    ("clear_fluid_leak", "x"), ("calf_pain_swelling", "x"), ("chest_pain", "x"),
    ("short_of_breath", "x"), ("confusion", "x"), ("free_text", "a" * 2001),
    ("chest_pian", True),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_evaluate_bad_field_is_named(field: str, value: Any) -> None:
    response = post(Client(), EVALUATE, {field: value})
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.django_db
def test_evaluate_malformed_json_is_400_or_422() -> None:
    response = Client().post(EVALUATE, data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "errors" in response.json()


@pytest.mark.django_db
def test_evaluate_is_rate_limited_per_address(settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 3
    well_inside_a_minute()
    codes = [post(Client(), EVALUATE, {}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert post(Client(REMOTE_ADDR="10.0.0.9"), EVALUATE, {}).status_code == 200


# --- /episodes/{id}/checkins --------------------------------------------------


def test_patient_submits_a_routine_checkin(cast: Any, recovering: Episode) -> None:
    response = post(
        cast.client_for(cast.pat.user),
        checkins_url(recovering),
        {"pain_leg": 3, "pain_trend": "better"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["level"] == "routine" and body["alert_id"] is None
    assert body["scheduled_day"] == 1
    assert Checkin.objects.get(pk=body["id"]).submitted_by == cast.pat.user


def test_emergency_checkin_creates_one_alert(cast: Any, recovering: Episode) -> None:
    response = post(
        cast.client_for(cast.pat.user), checkins_url(recovering), {"bladder": "retention"}
    )
    assert response.status_code == 201
    alert = Alert.objects.get()
    assert str(alert.pk) == response.json()["alert_id"]
    assert (alert.severity, alert.site, alert.status) == ("emergency", cast.north, "open")
    assert "911" in response.json()["advice"]


def test_same_idempotency_key_returns_same_checkin_and_no_second_alert(
    cast: Any, recovering: Episode
) -> None:
    client = cast.client_for(cast.pat.user)
    first = post(
        client, checkins_url(recovering), {"chest_pain": True}, **{"Idempotency-Key": "k-1"}
    )
    again = post(
        client, checkins_url(recovering), {"chest_pain": True}, **{"Idempotency-Key": "k-1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["alert_id"] == again.json()["alert_id"]
    assert Checkin.objects.count() == 1 and Alert.objects.count() == 1


def test_key_reused_with_other_answers_is_refused(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    post(client, checkins_url(recovering), {"pain_leg": 2}, **{"Idempotency-Key": "k-2"})
    response = post(
        client, checkins_url(recovering), {"chest_pain": True}, **{"Idempotency-Key": "k-2"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Checkin.objects.count() == 1


def test_without_key_each_post_is_a_new_checkin(cast: Any, recovering: Episode) -> None:
    client = cast.client_for(cast.pat.user)
    for _ in range(2):
        assert post(client, checkins_url(recovering), {"pain_leg": 2}).status_code == 201
    assert Checkin.objects.count() == 2


def test_empty_checkin_is_refused_with_the_field_named(cast: Any, recovering: Episode) -> None:
    response = post(cast.client_for(cast.pat.user), checkins_url(recovering), {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers"
    assert Checkin.objects.count() == 0


def test_overlong_key_is_refused(cast: Any, recovering: Episode) -> None:
    response = post(
        cast.client_for(cast.pat.user),
        checkins_url(recovering),
        {},
        **{"Idempotency-Key": "x" * 101},
    )
    assert response.status_code == 422 and Checkin.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_checkin_bad_field_is_named_and_nothing_stored(
    cast: Any, recovering: Episode, field: str, value: Any
) -> None:
    response = post(
        cast.client_for(cast.pat.user), checkins_url(recovering), {"chest_pain": True, field: value}
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Checkin.objects.count() == 0 and Alert.objects.count() == 0


def test_staff_of_the_site_may_submit(cast: Any, recovering: Episode) -> None:
    response = post(cast.client_for(cast.nurse), checkins_url(recovering), {"wound_open": True})
    assert response.status_code == 201 and response.json()["level"] == "urgent"


@pytest.mark.parametrize("who", ["quinn", "nurse_south", "lead", "admin"])
def test_others_cannot_submit(cast: Any, recovering: Episode, who: str) -> None:
    user = cast.quinn.user if who == "quinn" else getattr(cast, who)
    response = post(cast.client_for(user), checkins_url(recovering), {"chest_pain": True})
    assert response.status_code in (403, 404)
    assert Checkin.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_cannot_submit(cast: Any, recovering: Episode) -> None:
    response = post(Client(), checkins_url(recovering), {"chest_pain": True})
    assert response.status_code == 401 and Checkin.objects.count() == 0


def test_checkin_refused_before_surgery(cast: Any) -> None:
    response = post(cast.client_for(cast.pat.user), checkins_url(cast.episode), {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "episode"


def test_unknown_episode_is_404(cast: Any) -> None:
    url = "/api/v1/episodes/00000000-0000-0000-0000-000000000000/checkins"
    assert post(cast.client_for(cast.nurse), url, {}).status_code == 404
