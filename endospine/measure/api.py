"""GET /api/v1/outcomes (program leads and surgeons) and GET /api/v1/public/outcomes."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query as NinjaQuery
from ninja import Router, Schema

from endospine.access import Action, current_user, require
from endospine.core.errors import DomainError
from endospine.core.ratelimit import rate_limited
from endospine.measure import content
from endospine.measure.public import public_outcomes
from endospine.measure.registry import (
    EVENT_MEASURES,
    EVENT_TIMEPOINT,
    FOLLOWUP_TIMEPOINTS,
    GROUP_BY,
    MEASURES,
)
from endospine.measure.selectors import Query, outcomes

router = Router(tags=["measure"])
PARAMETERS = ("measure", "timepoint", "group_by", "since", "until", "definition")


def _date(raw: str | None, field: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(field, "give a date as YYYY-MM-DD") from None


def parse_query(params: Any) -> Query:
    """The query string as a Query; 422 naming the first bad parameter."""
    errors: list[tuple[str, str]] = [
        (k, "unknown parameter") for k in params if k not in PARAMETERS
    ]
    measure, timepoint = params.get("measure"), params.get("timepoint")
    group_by = params.get("group_by", "program")
    if measure not in MEASURES:
        errors.append(("measure", f"must be one of {', '.join(MEASURES)}"))
    allowed = (EVENT_TIMEPOINT,) if measure in EVENT_MEASURES else FOLLOWUP_TIMEPOINTS
    if timepoint not in allowed:
        errors.append(("timepoint", f"must be one of {', '.join(allowed)} for this measure"))
    if group_by not in GROUP_BY:
        errors.append(("group_by", f"must be one of {', '.join(GROUP_BY)}"))
    if params.get("definition") is not None and content.definition(params["definition"]) is None:
        errors.append(("definition", "unknown definition"))
    if errors:
        raise DomainError.many(errors)
    since, until = _date(params.get("since"), "since"), _date(params.get("until"), "until")
    if since and until and since > until:
        raise DomainError("until", "must not be before since")
    return Query(measure, timepoint, group_by, since, until, params.get("definition"))


class OutcomesParams(Schema):
    """The query, as documented in OpenAPI; parse_query checks it strictly (names each field)."""

    measure: str | None = None
    timepoint: str | None = None
    group_by: str | None = None
    since: str | None = None
    until: str | None = None
    definition: str | None = None


@router.get("/outcomes", summary="Outcomes by group (program leads and surgeons)")
def get_outcomes(request: HttpRequest, params: NinjaQuery[OutcomesParams]) -> dict[str, Any]:
    user = current_user(request)
    require(user, Action.VIEW_AGGREGATES)
    query = parse_query(request.GET)
    definition = content.definition(query.definition)
    assert definition is not None
    return outcomes(user, query, definition)


@router.get("/public/outcomes", auth=None, summary="Public outcomes per approach")
@rate_limited("outcomes")
def get_public_outcomes(request: HttpRequest) -> dict[str, Any]:
    """No sign-in. Only verified quarters; small counts suppressed (see docs/measure.md)."""
    return public_outcomes()
