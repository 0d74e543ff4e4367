"""JSON endpoints of the learn step."""

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from endospine.core.ratelimit import rate_limited
from endospine.learn import services

router = Router(tags=["learn"])


class UrgentOut(Schema):
    level: Literal["emergency", "urgent"]
    message: str


class AnswerOut(Schema):
    topic: str
    article: str
    title: str
    section: str
    passage: str
    score: float
    url: str


class UnansweredOut(Schema):
    message: str
    care_team_phone: str


class AskOut(Schema):
    query: str
    urgent: UrgentOut | None
    answers: list[AnswerOut]
    # Set when the library cannot answer: no card, the care team's number instead (issue 10).
    unanswered: UnansweredOut | None = None


@router.get("/ask", auth=None, response=AskOut, summary="Answer a patient's question")
@rate_limited("ask")
def ask(
    request: HttpRequest,
    q: str = "",
    limit: int = Query(5, ge=1, le=services.MAX_LIMIT),
) -> services.AskResult:
    """Best passages of the reviewed knowledge base for a question in the patient's own words.

    Public and stateless: the question is neither stored nor logged. When the question describes an
    emergency or an urgent problem, `urgent` says what to do now, before any answer. Empty or
    over-long `q`: 400.
    """
    return services.ask(question=q, limit=limit)
