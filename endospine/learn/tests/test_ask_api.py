"""GET /api/v1/ask: the public contract, bad input, the urgent guard and rate limiting."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from endospine.learn import services
from endospine.learn.models import ContentLoad
from endospine.learn.topics import TOPICS
from endospine.testing import well_inside_a_minute

URL = "/api/v1/ask"


@pytest.fixture
def kb(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 10_000
    cache.clear()
    services.knowledge_load()


def get(client: Client, **params: Any) -> Any:
    return client.get(URL, params)


def test_answers_a_question_without_signing_in(kb: None, client: Client) -> None:
    response = get(client, q="how long does the surgery take", limit=3)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"query", "urgent", "answers", "unanswered"}
    assert body["query"] == "how long does the surgery take"
    assert body["urgent"] is None
    assert len(body["answers"]) == 3
    first = body["answers"][0]
    assert set(first) == {"topic", "article", "title", "section", "passage", "score", "url"}
    assert first["topic"] == "surgery_duration"
    assert first["topic"] in TOPICS
    assert first["url"] == "/learn/the-operation/#duration"
    scores = [a["score"] for a in body["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_default_limit_is_five(kb: None, client: Client) -> None:
    assert len(get(client, q="recovery after keyhole surgery").json()["answers"]) == 5


def test_lay_words_typos_and_british_spelling(kb: None, client: Client) -> None:
    assert get(client, q="can it fix my slipped disk").json()["answers"][0]["topic"] == (
        "conditions_treated"
    )
    assert get(client, q="is it done under local anaesthetic").json()["answers"][0]["topic"] == (
        "anesthesia"
    )
    assert get(client, q="how succesful is it").json()["answers"][0]["topic"] == (
        "success_and_durability"
    )


@pytest.mark.parametrize("q", ["", "   ", "x" * 501])
def test_empty_blank_or_overlong_question_is_400(kb: None, client: Client, q: str) -> None:
    response = get(client, q=q)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


def test_missing_question_is_400(kb: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


@pytest.mark.parametrize("limit", ["0", "21", "many"])
def test_bad_limit_names_the_field(kb: None, client: Client, limit: str) -> None:
    response = get(client, q="scar", limit=limit)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_emergency_question_is_flagged_with_the_emergency_number(
    kb: None, client: Client, cast: Any
) -> None:
    body = get(client, q="I can't pass urine and my groin is numb").json()
    assert body["urgent"]["level"] == "emergency"
    # The API is public: the first site by name gives the number (North Spine Clinic).
    assert cast.north.emergency_number in body["urgent"]["message"]
    assert body["answers"], "answers still follow the warning"


def test_urgent_question_gives_the_care_team_number(kb: None, client: Client, cast: Any) -> None:
    body = get(client, q="there is pus coming out of my wound").json()
    assert body["urgent"]["level"] == "urgent"
    assert cast.north.care_team_phone in body["urgent"]["message"]


def test_without_any_site_the_default_emergency_number_is_used(
    kb: None, client: Client, settings: Any
) -> None:
    settings.DEFAULT_EMERGENCY_NUMBER = "112"
    body = get(client, q="I have chest pain and cannot breathe").json()
    assert body["urgent"]["level"] == "emergency"
    assert "112" in body["urgent"]["message"]


@pytest.mark.parametrize(
    "q",
    [
        "no fever and the wound looks fine, when can I drive?",
        "can I get an infection from it?",
        "what are the warning signs after surgery",
        "how long is recovery",
    ],
)
def test_negated_and_general_questions_are_not_flagged(kb: None, client: Client, q: str) -> None:
    body = get(client, q=q).json()
    assert body["urgent"] is None
    assert body["answers"]


def test_nothing_is_stored_about_the_question(kb: None, client: Client) -> None:
    before = ContentLoad.objects.count()
    get(client, q="my name is Pat Doe and my back hurts")
    assert ContentLoad.objects.count() == before


def test_rate_limited_per_address(db: None, client: Client, settings: Any) -> None:
    services.knowledge_load()
    cache.clear()
    settings.RATE_LIMIT_PER_MINUTE = 2
    well_inside_a_minute()
    assert get(client, q="scar").status_code == 200
    assert get(client, q="scar").status_code == 200
    response = get(client, q="scar")
    assert response.status_code == 429
    assert response.json()["errors"][0]["message"]
    cache.clear()


def test_before_any_load_there_are_no_answers(db: None, client: Client, settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 10_000
    body = get(client, q="how long is recovery").json()
    assert body["answers"] == []
