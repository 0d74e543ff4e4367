from typing import Any

from django import template

from endospine.measure import content
from endospine.measure.registry import CLAVIEN_DINDO

register = template.Library()


@register.simple_tag
def event_choices() -> dict[str, Any]:
    """The adverse events and grades, for the alert page's one-step form."""
    return {"types": content.event_types(), "grades": CLAVIEN_DINDO}
