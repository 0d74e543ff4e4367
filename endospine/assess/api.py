"""JSON endpoints of the assess step."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from endospine.assess.engine import evaluate
from endospine.assess.inputs import AssessmentInput
from endospine.assess.services import current_ruleset
from endospine.core.ratelimit import rate_limited

router = Router(tags=["assess"])


@router.post("/assessment/evaluate", auth=None, summary="Evaluate an intake (stores nothing)")
@rate_limited("assess")
def evaluate_assessment(request: HttpRequest, payload: AssessmentInput) -> dict[str, Any]:
    """Apply the current rule set to one intake and say which rules fired and why.

    Public and stateless: nothing is stored. Decision support only; the surgeon decides.
    """
    return evaluate(payload, current_ruleset()).as_dict()
