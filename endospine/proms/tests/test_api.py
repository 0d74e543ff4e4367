"""POST /api/v1/proms/score (public) and /api/v1/episodes/{id}/proms (access per role)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from endospine.audit.models import AuditEvent
from endospine.proms.models import Response
from endospine.proms.scoring import ODI_SECTIONS
from endospine.proms.tests.helpers import ODI_32, in_recovery
from endospine.testing import well_inside_a_minute

SCORE = "/api/v1/proms/score"


def post(client: Client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> None:
    cache.clear()


@pytest.mark.django_db
def test_score_worked_examples_without_sign_in() -> None:
    client = Client()
    assert post(client, SCORE, {"instrument": "odi", "answers": ODI_32}).json() == {
        "instrument": "odi",
        "score": 32.0,
        "band": "moderate",
        "answered": 10,
    }
    nine = ODI_32 | {"sleeping": 2, "travelling": None}
    assert post(client, SCORE, {"instrument": "odi", "answers": nine}).json()["score"] == 35.6
    seven = dict(list(ODI_32.items())[:7])
    assert post(client, SCORE, {"instrument": "odi", "answers": seven}).json() == {
        "instrument": "odi",
        "score": None,
        "band": None,
        "answered": 7,
    }
    assert post(client, SCORE, {"instrument": "nrs_leg", "answers": {"pain": 8}}).json() == {
        "instrument": "nrs_leg",
        "score": 8.0,
        "band": "severe",
        "answered": 1,
    }
    assert Response.objects.count() == 0 and AuditEvent.objects.count() == 0  # stateless


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "sf36", "answers": {}}, "instrument"),
        ({"instrument": "odi", "answers": {"walking": 6}}, "answers.walking"),
        ({"instrument": "odi", "answers": {"walking": -1}}, "answers.walking"),
        ({"instrument": "odi", "answers": {"walking": "2"}}, "answers.walking"),
        ({"instrument": "odi", "answers": {"walking": True}}, "answers.walking"),
        ({"instrument": "odi", "answers": {"jogging": 1}}, "answers.jogging"),
        ({"instrument": "nrs_back", "answers": {"pain": 11}}, "answers.pain"),
        ({"instrument": "nrs_back", "answers": {"pain": 2.5}}, "answers.pain"),
        ({"instrument": "nrs_back", "answers": []}, "answers"),
        ({"instrument": "odi"}, "answers"),
        ({"instrument": "odi", "answers": {}, "extra": 1}, "extra"),
    ],
)
def test_score_bad_input_names_the_field(body: dict, field: str) -> None:
    response = post(Client(), SCORE, body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.django_db
def test_score_malformed_json_and_rate_limit(settings) -> None:
    client = Client()
    bad = client.post(SCORE, "{nope", content_type="application/json")
    assert bad.status_code in (400, 422) and "errors" in bad.json()
    settings.RATE_LIMIT_PER_MINUTE = 2
    well_inside_a_minute()
    cache.clear()
    codes = [
        post(client, SCORE, {"instrument": "nrs_leg", "answers": {"pain": 1}}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def url(episode) -> str:
    return f"/api/v1/episodes/{episode.pk}/proms"


def test_patient_submits_on_own_episode(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    client = cast.client_for(cast.pat.user)
    response = post(client, url(cast.episode), {"instrument": "odi", "answers": ODI_32})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["band"], body["timepoint"]) == (32.0, "moderate", "week6")
    assert body["resource"]["resourceType"] == "QuestionnaireResponse"
    assert AuditEvent.objects.filter(record_type="proms.response", actor=cast.pat.user).exists()
    listed = client.get(url(cast.episode)).json()
    assert listed["timepoints"][0]["answered"] == ["odi"]
    assert [r["instrument"] for r in listed["responses"]] == ["odi"]


def test_staff_of_the_site_may_submit(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    bodies = [
        (cast.nurse, "nrs_leg", {"pain": 3}),
        (cast.surgeon, "nrs_back", {"pain": 2}),
        (cast.coordinator, "odi", ODI_32),
    ]
    for user, instrument, answers in bodies:
        response = post(
            cast.client_for(user), url(cast.episode), {"instrument": instrument, "answers": answers}
        )
        assert response.status_code == 201, (user.username, response.content)
    listed = cast.client_for(cast.nurse).get(url(cast.episode)).json()
    assert listed["timepoints"][0]["status"] == "done"


@pytest.mark.parametrize("who", ["quinn", "nurse_south", "lead", "admin"])
def test_others_cannot_see_or_submit(cast, who: str) -> None:
    in_recovery(cast.episode, days_ago=42)
    user = cast.quinn.user if who == "quinn" else getattr(cast, who)
    client = cast.client_for(user)
    assert (
        post(
            client, url(cast.episode), {"instrument": "nrs_leg", "answers": {"pain": 3}}
        ).status_code
        == 404
    )
    assert client.get(url(cast.episode)).status_code == 404
    assert Response.objects.count() == 0


def test_anonymous_gets_401(cast) -> None:
    assert (
        post(
            Client(), url(cast.episode), {"instrument": "nrs_leg", "answers": {"pain": 3}}
        ).status_code
        == 401
    )


def test_submit_bad_input(cast) -> None:
    in_recovery(cast.episode, days_ago=42)
    client = cast.client_for(cast.nurse)
    cases = [
        ({"instrument": "odi", "answers": dict.fromkeys(ODI_SECTIONS[:5], 1)}, "answers"),
        ({"instrument": "odi", "answers": ODI_32 | {"sitting": 7}}, "answers.sitting"),
        ({"instrument": "nrs_leg", "answers": {"pain": 1}, "timepoint": "month3"}, "timepoint"),
        ({"instrument": "eq5d", "answers": {}}, "instrument"),
    ]
    for body, field in cases:
        response = post(client, url(cast.episode), body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["field"] == field
    assert Response.objects.count() == 0
    post(client, url(cast.episode), {"instrument": "nrs_leg", "answers": {"pain": 1}})
    again = post(client, url(cast.episode), {"instrument": "nrs_leg", "answers": {"pain": 2}})
    assert again.status_code == 409
