"""JSON endpoints of the assess step."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from endospine.assess.engine import evaluate
from endospine.assess.inputs import AssessmentInput
from endospine.assess.rules import Approach, Recommendation, Urgency
from endospine.assess.services import current_ruleset
from endospine.core.ratelimit import rate_limited

router = Router(tags=["assess"])


class FiredRuleOut(Schema):
    id: str
    rationale: str


class EvaluationOut(Schema):
    recommendation: Recommendation
    urgency: Urgency
    approach: Approach | None
    rules: list[FiredRuleOut]
    alternatives: list[str]
    ruleset_version: str


@router.post(
    "/assessment/evaluate",
    auth=None,
    response=EvaluationOut,
    summary="Evaluate an intake against the assessment rules (stores nothing)",
)
@rate_limited("assess")
def evaluate_assessment(request: HttpRequest, payload: AssessmentInput) -> dict[str, Any]:
    """Apply the current rule set to one intake and say which rules fired and why.

    Public and stateless: nothing is stored. The first rule listed decided the
    recommendation; the first approach rule listed decided the approach.
    Decision support only: the surgeon decides.
    """
    return evaluate(payload, current_ruleset()).as_dict()
