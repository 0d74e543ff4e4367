"""Check-in values over time for the care team: temperature, pain, wound, with thresholds.

The thresholds are the ones triage uses: the fever threshold from settings,
the severe-pain bound from content/rules/triage.yaml.
"""

import functools
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from endospine.journey.models import Episode
from endospine.recover.chart import Chart, Series, build
from endospine.recover.models import Checkin
from endospine.recover.staff_words import staff_words
from endospine.recover.triage import fever_threshold_c

MAX_POINTS = 30
WOUND_SCALE = {"none": 0, "mild": 1, "spreading": 2}


@functools.cache
def severe_pain_bound() -> float:
    """The lowest pain score of the rule pain_severe (8 today), read from the rule file."""
    with (settings.CONTENT_DIR / "rules" / "triage.yaml").open(encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)["rules"]
    rule = next(r for r in rules if r["id"] == "pain_severe")
    parts = rule.get("any") or [rule.get("when", {})]
    bounds = [v["gte"] for part in parts for v in part.values() if isinstance(v, dict)]
    return float(min(bounds))


def _values(checkins: list[Checkin], field: str) -> list[float | None]:
    values: list[float | None] = []
    for checkin in checkins:
        value = checkin.answers.get(field)
        if field == "wound_redness":
            value = WOUND_SCALE.get(value) if value is not None else None
        values.append(float(value) if isinstance(value, int | float) else None)
    return values


def _charts(checkins: list[Checkin]) -> list[Chart]:
    words = staff_words()
    label = {name: words.answers[name][0] for name in words.answers}
    fever = fever_threshold_c()
    severe = severe_pain_bound()
    return [
        build(
            title=_("Temperature (°C)"),
            series=[
                Series("temperature_c", label["temperature_c"], _values(checkins, "temperature_c"))
            ],
            low=35.5,
            high=40.5,
            unit="°C",
            thresholds=[(_("fever %(t)s °C") % {"t": fever}, fever)],
            ticks=[(36.0, "36"), (37.0, "37"), (38.0, "38"), (39.0, "39"), (40.0, "40")],
        ),
        build(
            title=_("Pain (0-10)"),
            series=[
                Series("pain_leg", label["pain_leg"], _values(checkins, "pain_leg")),
                Series("pain_back", label["pain_back"], _values(checkins, "pain_back")),
            ],
            low=0,
            high=10,
            unit="/10",
            thresholds=[(_("severe %(n)s/10") % {"n": int(severe)}, severe)],
            ticks=[(0, "0"), (5, "5"), (10, "10")],
        ),
        build(
            title=_("Wound redness"),
            series=[
                Series("wound_redness", label["wound_redness"], _values(checkins, "wound_redness"))
            ],
            low=0,
            high=2,
            unit="",
            thresholds=[(_("spreading"), 2)],
            ticks=[(0, _("none")), (1, _("mild")), (2, _("spreading"))],
        ),
    ]


def episode_trends(episode: Episode) -> dict[str, Any]:
    """The last check-ins (oldest first) as charts and as a table (the text alternative)."""
    recent = list(Checkin.objects.filter(episode=episode).order_by("-submitted_at")[:MAX_POINTS])
    checkins = list(reversed(recent))
    words = staff_words()
    rows = [
        {
            "checkin": c,
            "temperature": c.answers.get("temperature_c"),
            "pain_leg": c.answers.get("pain_leg"),
            "pain_back": c.answers.get("pain_back"),
            "wound": words.value("wound_redness", c.answers["wound_redness"])
            if c.answers.get("wound_redness")
            else None,
        }
        for c in recent
    ]
    return {"charts": _charts(checkins) if checkins else [], "trend_rows": rows}
