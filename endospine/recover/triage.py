"""Triage with the project's settings: the shipped rule file and the shared detector.

The engine (engine.py) is pure; this module feeds it the rule set from
content/rules/triage.yaml, the fever threshold from settings, and the
findings of the shared free-text detector (endospine.clinical.symptoms), which
can only raise the level.
"""

import functools
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from endospine.clinical.symptoms import detect
from endospine.recover.engine import RuleSet, TriageResult, evaluate, load_ruleset


@functools.cache
def ruleset() -> RuleSet:
    return load_ruleset(settings.CONTENT_DIR / "rules" / "triage.yaml")


def fever_threshold_c() -> float:
    return float(getattr(settings, "FEVER_THRESHOLD_C", 38.0))


def read_free_text(text: str) -> list[Any]:
    """Findings of the shared detector for what the patient wrote in their own words."""
    if not text or not text.strip():
        return []
    return list(detect(text, fever_threshold_c=fever_threshold_c()))


def triage(
    answers: Mapping[str, Any], *, emergency_number: str, care_team_phone: str
) -> TriageResult:
    return evaluate(
        answers,
        ruleset(),
        fever_threshold_c=fever_threshold_c(),
        findings=read_free_text(answers.get("free_text") or ""),
        emergency_number=emergency_number,
        care_team_phone=care_team_phone,
    )
