"""Triage with the project's settings: the shipped rule file and the shared detector.

The engine (engine.py) is pure; this module feeds it the rule set from
content/rules/triage.yaml, the fever threshold from settings, and the
findings of the shared free-text detector (endospine.clinical.symptoms), which
can only raise the level.
"""

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings

from endospine.clinical.review import needs_review
from endospine.clinical.symptoms import detect
from endospine.recover.engine import RuleSet, TriageResult, evaluate, load_ruleset


def rules_path() -> Path:
    """The rule file: TRIAGE_RULES_PATH when set (tests point it at a broken copy)."""
    custom = getattr(settings, "TRIAGE_RULES_PATH", None)
    return Path(custom) if custom else settings.CONTENT_DIR / "rules" / "triage.yaml"


@functools.cache
def ruleset() -> RuleSet:
    return load_ruleset(rules_path())


def fever_threshold_c() -> float:
    return float(getattr(settings, "FEVER_THRESHOLD_C", 38.0))


def read_free_text(text: str) -> list[Any]:
    """Findings of the shared detector for what the patient wrote in their own words."""
    if not text or not text.strip():
        return []
    return list(detect(text, fever_threshold_c=fever_threshold_c()))


def triage(
    answers: Mapping[str, Any],
    *,
    emergency_number: str,
    care_team_phone: str,
    review_hours: int = 4,
    review_tracked: bool = True,
) -> TriageResult:
    text = answers.get("free_text") or ""
    findings = read_free_text(text)
    return evaluate(
        answers,
        ruleset(),
        fever_threshold_c=fever_threshold_c(),
        findings=findings,
        # Free text the detector could not read with confidence goes to a clinician (issue 10).
        needs_review=bool(text.strip()) and needs_review(text, findings),
        emergency_number=emergency_number,
        care_team_phone=care_team_phone,
        review_hours=review_hours,
        review_tracked=review_tracked,
    )
