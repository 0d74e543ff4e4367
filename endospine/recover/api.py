"""JSON endpoints of the recover step: stateless triage and check-in submission."""

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Header, Router

from endospine.access import Action, current_user, episode_for
from endospine.core.ratelimit import rate_limited
from endospine.recover import selectors, services
from endospine.recover.schemas import CheckinIn, CheckinOut, TriageOut
from endospine.recover.triage import triage

router = Router(tags=["recover"])


@router.post("/triage/evaluate", auth=None, response=TriageOut)
@rate_limited("triage")
def evaluate(request: HttpRequest, payload: CheckinIn) -> dict[str, Any]:
    """Triage a check-in without storing anything. Public; rate-limited per address."""
    result = triage(
        payload.model_dump(exclude_none=True),
        emergency_number=settings.DEFAULT_EMERGENCY_NUMBER,
        care_team_phone="your care team's number",
        review_tracked=False,  # nothing is stored, so no clinician will read it
    )
    return result.as_dict()


@router.post("/episodes/{episode_id}/checkins", response={200: CheckinOut, 201: CheckinOut})
def submit_checkin(
    request: HttpRequest,
    episode_id: UUID,
    payload: CheckinIn,
    idempotency_key: str = Header(default="", alias="Idempotency-Key"),
) -> tuple[int, dict[str, Any]]:
    """Store a check-in with its triage (and alert). Same Idempotency-Key -> same check-in."""
    user = current_user(request)
    episode = episode_for(user, episode_id, Action.SUBMIT_CHECKIN)
    checkin, created = services.checkin_submit(
        episode=episode,
        answers=payload.model_dump(exclude_none=True),
        actor=user,
        idempotency_key=idempotency_key,
        request=request,
    )
    return (201 if created else 200), selectors.checkin_payload(checkin)
