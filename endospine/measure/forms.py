"""Parsing of the measure pages' query strings and forms (no Django forms needed)."""

from datetime import date
from typing import Any

from django.http import QueryDict

from endospine.core.errors import DomainError
from endospine.measure import content
from endospine.measure.registry import EVENT_MEASURES, EVENT_TIMEPOINT, MEASURES
from endospine.measure.selectors import Query


def dashboard_query(params: QueryDict) -> Query:
    """The dashboard's measure/timepoint/definition, defaulting to ODI at 12 months."""
    measure = params.get("measure", "odi")
    if measure not in MEASURES:
        measure = "odi"
    timepoint = EVENT_TIMEPOINT if measure in EVENT_MEASURES else params.get("timepoint", "12m")
    if measure not in EVENT_MEASURES and timepoint not in ("6w", "3m", "12m", "24m"):
        timepoint = "12m"
    definition = params.get("definition")
    if content.definition(definition) is None:
        definition = None
    return Query(measure, timepoint, "program", definition=definition)


def event_fields(post: QueryDict) -> dict[str, Any]:
    raw = post.get("occurred_on", "")
    try:
        occurred = date.fromisoformat(raw)
    except ValueError:
        raise DomainError("occurred_on", "give the date the event happened") from None
    return {
        "code": post.get("code", ""),
        "clavien_dindo": post.get("clavien_dindo", ""),
        "occurred_on": occurred,
    }
