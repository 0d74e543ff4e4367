"""Issue 10: Ask searches the discharge instructions, says when it has no answer (with the care
team's number) and shows no unrelated card under an urgent answer."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from endospine.learn import services
from endospine.learn.topics import TOPICS

URL = "/api/v1/ask"


@pytest.fixture
def kb(db: None, settings: Any) -> None:
    settings.RATE_LIMIT_PER_MINUTE = 10_000
    cache.clear()
    services.knowledge_load()


@pytest.mark.parametrize(
    ("q", "topic"),
    [
        ("can i shower", "incision_and_scar"),
        ("how long before i can drive", "activity_restrictions"),
        ("can i get my dressing wet", "incision_and_scar"),
    ],
)
def test_discharge_instructions_answer_everyday_questions(
    kb: None, client: Client, q: str, topic: str
) -> None:
    answers = client.get(URL, {"q": q, "limit": 3}).json()["answers"]
    assert topic in [a["topic"] for a in answers]
    assert "going-home" in [a["article"] for a in answers]
    assert all(a["topic"] in TOPICS for a in answers)


def test_an_unanswerable_question_says_so_with_the_care_team_number(
    kb: None, client: Client, cast: Any
) -> None:
    body = client.get(URL, {"q": "where do i park at the hospital"}).json()
    assert body["answers"] == []
    assert body["unanswered"]["care_team_phone"] == cast.north.care_team_phone
    assert cast.north.care_team_phone in body["unanswered"]["message"]


def test_an_answered_question_has_no_unanswered_block(kb: None, client: Client) -> None:
    body = client.get(URL, {"q": "how long does the surgery take"}).json()
    assert body["answers"] and body["unanswered"] is None


def test_no_unrelated_cards_under_an_urgent_answer(kb: None, client: Client) -> None:
    body = client.get(URL, {"q": "I can't pee since my operation, when can I drive"}).json()
    assert body["urgent"]["level"] == "emergency"
    assert all(a["topic"] == "warning_signs" for a in body["answers"])
    assert body["unanswered"] is None


def test_the_ask_page_offers_the_care_team_when_it_has_no_answer(
    kb: None, client: Client, cast: Any
) -> None:
    page = client.get("/learn/ask/", {"q": "is there a cafe in the hospital"})
    assert page.status_code == 200
    assert f'href="tel:{cast.north.care_team_phone}"' in page.content.decode()
