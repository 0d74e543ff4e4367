"""JSON endpoints of PROMs: stateless scoring, and responses on an episode."""

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from endospine.access import Action, episode_for
from endospine.core.errors import DomainError
from endospine.core.ratelimit import rate_limited
from endospine.proms import selectors, services
from endospine.proms.models import Response
from endospine.proms.scoring import ScoringError, score

router = Router(tags=["proms"])
Instrument = Literal["odi", "nrs_back", "nrs_leg"]
# The scorer checks each value (a whole number in range, or null) and names the
# item, e.g. "answers.walking"; pydantic's coercion would accept "3" or true.
Answers = dict[str, Any]


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")
    instrument: Instrument
    answers: Answers = Field(max_length=20)


class ScoreOut(Schema):
    instrument: str
    score: float | None
    band: str | None
    answered: int


class ResponseIn(ScoreIn):
    timepoint: str | None = Field(default=None, max_length=30)


class ResponseOut(Schema):
    id: UUID
    instrument: str
    score: float | None
    band: str
    answered: int
    timepoint: str | None
    authored_at: str
    resource: dict[str, Any]


def _response_payload(response: Response) -> dict[str, Any]:
    return {
        "id": response.id,
        "instrument": response.instrument,
        "score": response.score,
        "band": response.band,
        "answered": response.answered,
        "timepoint": response.timepoint.code if response.timepoint else None,
        "authored_at": response.authored_at.isoformat(),
        "resource": response.resource,
    }


@router.post("/proms/score", auth=None, response=ScoreOut)
@rate_limited("proms")
def score_answers(request: HttpRequest, payload: ScoreIn) -> dict[str, Any]:
    """Score answers without storing anything. Public; rate-limited per address."""
    try:
        return score(payload.instrument, payload.answers).as_dict()
    except ScoringError as exc:
        raise DomainError(exc.field, exc.message) from exc


@router.post("/episodes/{episode_id}/proms", response={201: ResponseOut})
def submit_response(
    request: HttpRequest, episode_id: UUID, payload: ResponseIn
) -> tuple[int, dict[str, Any]]:
    """Store one scored questionnaire on an episode (its patient, or its site's staff)."""
    episode = episode_for(request.user, episode_id, Action.SUBMIT_PROM)
    response = services.response_submit(
        episode=episode,
        instrument=payload.instrument,
        answers=payload.answers,
        actor=request.user,  # type: ignore[arg-type]
        timepoint_code=payload.timepoint,
        request=request,
    )
    return 201, _response_payload(response)


@router.get("/episodes/{episode_id}/proms", response=dict[str, Any])
def list_responses(request: HttpRequest, episode_id: UUID) -> dict[str, Any]:
    """The episode's timepoints (with status) and stored responses."""
    episode = episode_for(request.user, episode_id, Action.VIEW_EPISODE)
    return {
        "timepoints": [
            {
                "code": v.timepoint.code,
                "label": v.timepoint.label,
                "status": v.status,
                "opens_on": v.timepoint.opens_on.isoformat(),
                "due_on": v.timepoint.due_on.isoformat(),
                "closes_on": v.timepoint.closes_on.isoformat() if v.timepoint.closes_on else None,
                "answered": list(v.answered),
            }
            for v in selectors.timepoints(episode)
        ],
        "responses": [_response_payload(r) for r in selectors.responses(episode)],
    }
